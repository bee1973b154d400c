package io.github.smtpshield.server;

import com.google.inject.Module;
import com.google.inject.util.Modules;
import java.util.List;
import org.apache.james.ExtraProperties;
import org.apache.james.GuiceJamesServer;
import org.apache.james.JamesServerMain;
import org.apache.james.NaiveDelegationStoreModule;
import org.apache.james.data.UsersRepositoryModuleChooser;
import org.apache.james.modules.MailboxModule;
import org.apache.james.modules.MailetProcessingModule;
import org.apache.james.modules.RunArgumentsModule;
import org.apache.james.modules.mailbox.DefaultEventModule;
import org.apache.james.modules.mailbox.MemoryDeadLetterModule;
import org.apache.james.modules.protocols.IMAPServerModule;
import org.apache.james.modules.protocols.LMTPServerModule;
import org.apache.james.modules.protocols.ManageSieveServerModule;
import org.apache.james.modules.protocols.POP3ServerModule;
import org.apache.james.modules.protocols.ProtocolHandlerModule;
import org.apache.james.modules.protocols.SMTPServerModule;
import org.apache.james.modules.server.DataRoutesModules;
import org.apache.james.modules.server.DefaultProcessorsConfigurationProviderModule;
import org.apache.james.modules.server.InconsistencyQuotasSolvingRoutesModule;
import org.apache.james.modules.server.JMXServerModule;
import org.apache.james.modules.server.MailQueueRoutesModule;
import org.apache.james.modules.server.MailRepositoriesRoutesModule;
import org.apache.james.modules.server.MailboxRoutesModule;
import org.apache.james.modules.server.NoJwtModule;
import org.apache.james.modules.server.RawPostDequeueDecoratorModule;
import org.apache.james.modules.server.ReIndexingModule;
import org.apache.james.modules.server.SieveRoutesModule;
import org.apache.james.modules.server.TaskManagerModule;
import org.apache.james.modules.server.WebAdminReIndexingTaskSerializationModule;
import org.apache.james.modules.server.WebAdminServerModule;
import org.apache.james.server.core.configuration.Configuration;
import org.apache.james.server.core.configuration.FileConfigurationProvider;
import org.apache.james.server.core.filesystem.FileSystemImpl;

/**
 * The packaged server: James 3.8.1's SMTP, IMAP, POP3, LMTP, ManageSieve, mailet container and WebAdmin, with its data
 * under {@code var/} of the install (see the README, "Storage"). It reads {@code conf/} like James's own servers
 * ({@code -Dworking.directory}) and loads the shield from {@code extensions-jars/} the same way.
 *
 * <p>What James's JPA server has and this one lacks: JMAP (James's JMAP needs a mailbox with message ids across
 * mailboxes, which JPA's has not), hence the JMAP vacation replies and filters.
 */
public final class ShieldServerMain {
    private static final Module WEBADMIN = Modules.combine(
            new WebAdminServerModule(),
            new DataRoutesModules(),
            new MailboxRoutesModule(),
            new MailQueueRoutesModule(),
            new MailRepositoriesRoutesModule(),
            new SieveRoutesModule(),
            // Re-indexing rebuilds the Lucene index from the mailboxes (after a crash or a restore).
            new ReIndexingModule(),
            new WebAdminReIndexingTaskSerializationModule(),
            new InconsistencyQuotasSolvingRoutesModule());

    private static final Module PROTOCOLS = Modules.combine(
            new IMAPServerModule(),
            new LMTPServerModule(),
            new ManageSieveServerModule(),
            new POP3ServerModule(),
            new ProtocolHandlerModule(),
            new SMTPServerModule());

    private static final Module STORAGE =
            Modules.combine(new DurableDataModule(), new DurableMailboxModule(), new DurableQueueModule());

    private static final Module CORE = Modules.combine(
            new MailetProcessingModule(),
            new MailboxModule(),
            new NaiveDelegationStoreModule(),
            new DefaultProcessorsConfigurationProviderModule(),
            new RawPostDequeueDecoratorModule(),
            new DefaultEventModule(),
            new MemoryDeadLetterModule(),
            new TaskManagerModule(),
            // No JMAP, hence no JMAP tokens (WebAdmin's own JWT is in webadmin.properties).
            new NoJwtModule(),
            new JMXServerModule());

    private ShieldServerMain() {}

    public static void main(String[] args) throws Exception {
        ExtraProperties.initialize();
        QueueStopLog.install();
        // Derby writes its log where the JVM runs unless told: with James's logs.
        if (System.getProperty("derby.stream.error.file") == null) {
            System.setProperty("derby.stream.error.file", "logs/derby.log");
        }
        Configuration configuration =
                Configuration.builder().useWorkingDirectoryEnvProperty().build();
        GuiceJamesServer server = GuiceJamesServer.forConfiguration(configuration)
                .combineWith(CORE, STORAGE, PROTOCOLS, WEBADMIN)
                .combineWith(users(configuration))
                .overrideWith(new RunArgumentsModule(args));
        JamesServerMain.main(server);
    }

    /** The JPA users, or James's LDAP ones when usersrepository.xml names an LDAP server. */
    private static List<Module> users(Configuration configuration) {
        FileConfigurationProvider configurationProvider =
                new FileConfigurationProvider(new FileSystemImpl(configuration.directories()), configuration);
        return new UsersRepositoryModuleChooser(new DurableUsersModule())
                .chooseModules(UsersRepositoryModuleChooser.Implementation.parse(configurationProvider));
    }
}
