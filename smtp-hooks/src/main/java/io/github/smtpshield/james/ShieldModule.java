package io.github.smtpshield.james;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.github.smtpshield.audit.conf.JamesXmlFiles;
import io.github.smtpshield.policy.Enforcement;
import io.github.smtpshield.policy.SecurityLog;
import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.config.StoreSettings;
import io.github.smtpshield.policy.dns.DnsJavaClient;
import io.github.smtpshield.policy.store.ClientStore;
import io.github.smtpshield.policy.store.MemoryClientStore;
import io.github.smtpshield.policy.store.redis.RedisClientStore;
import java.nio.file.Path;
import java.util.Optional;
import javax.inject.Inject;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.server.core.configuration.Configuration;

/**
 * The Guice extension module of SMTP Shield, enabled in {@code conf/extensions.properties}:
 * <pre>guice.extension.module=io.github.smtpshield.james.ShieldModule</pre>
 * James builds it once, when the first extension (a handler, mailet or WebAdmin route) is loaded. It checks James's
 * XML files for a DOCTYPE before James's own loader reads them ({@link JamesXmlFiles}), binds JMX's RMI port to the
 * JMX address before James starts JMX ({@link JmxRmiAddress}), reads
 * {@code conf/smtpshield.xml}, refuses to let James start as an open relay or with a PROXY listener that trusts any
 * peer, or with a port it needs taken ({@link ListenerPorts}), makes a failed start-up read as one line
 * ({@link StartupFailureLog}), and binds the singletons that the
 * shield's SMTP handlers, mailets and WebAdmin routes share: every handler line of {@code smtpserver.xml}
 * gets its own instance, so shared state lives here.
 */
public class ShieldModule extends AbstractModule {
    /** Where the memory store keeps its blocks across restarts, under James's var directory. */
    static final String BLOCK_FILE = "smtpshield/blocks.tsv";

    private final ShieldConfig config;
    private final Path varDirectory;

    @Inject
    public ShieldModule(FileSystem fileSystem, Configuration configuration) {
        StartupFailureLog.install();
        JamesConf conf = new JamesConf(fileSystem, configuration);
        this.config = StartupGuard.failFast(() -> {
            Optional<Path> folder = conf.folder();
            if (folder.isPresent()) {
                JamesXmlFiles.check(folder.get());
                JmxRmiAddress.apply(folder.get());
            }
            ShieldConfig loaded = new PolicyFile(conf).load();
            new ListenerGuard(conf).check(loaded);
            if (folder.isPresent()) {
                new ListenerPorts(folder.get()).check();
            }
            return loaded;
        });
        this.varDirectory = Path.of(configuration.directories().getVarDirectory());
    }

    @Override
    protected void configure() {
        bind(ShieldConfig.class).toInstance(config);
    }

    @Provides
    @Singleton
    SecurityLog securityLog() {
        return new SecurityLog();
    }

    @Provides
    @Singleton
    ClientStore clientStore(SecurityLog securityLog) {
        StoreSettings store = config.store();
        if (store.type() == StoreSettings.Type.REDIS) {
            return RedisClientStore.builder(store.uri().orElseThrow())
                    .cluster(store.cluster())
                    .timeout(store.timeout())
                    .lease(store.lease())
                    .listener(securityLog)
                    .build();
        }
        return MemoryClientStore.builder()
                .maxTrackedClients(config.perIp().maxTrackedClients())
                .blockFile(varDirectory.resolve(BLOCK_FILE))
                .listener(securityLog)
                .build();
    }

    @Provides
    @Singleton
    Enforcement enforcement(SecurityLog securityLog, MetricFactory metricFactory) {
        return new Enforcement(securityLog, new JamesShieldMetrics(metricFactory));
    }

    @Provides
    @Singleton
    Shield shield(ClientStore store, Enforcement enforcement) {
        // The resolver is made at the first lookup: a host without resolvers runs the shield with its DNS checks off.
        return new Shield(
                config,
                store,
                enforcement,
                () -> new DnsJavaClient(config.dns().servers(), config.dns().timeout()));
    }
}
