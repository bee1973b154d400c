package io.github.smtpshield.server;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import java.io.FileNotFoundException;
import javax.annotation.PreDestroy;
import javax.jms.ConnectionFactory;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.ActiveMQPrefetchPolicy;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.jmx.ManagementContext;
import org.apache.activemq.plugin.StatisticsBrokerPlugin;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.queue.activemq.FileSystemBlobTransferPolicy;

/**
 * The mail queues' embedded ActiveMQ broker, its messages in KahaDB under {@code var/store/activemq}. Unlike James's
 * {@code EmbeddedActiveMQ} it opens no TCP connector: James reaches it in the JVM ({@code vm://}) and nothing else
 * can.
 */
@Singleton
public final class EmbeddedBroker {
    private static final String BROKER_NAME = "james";
    private static final String KAHADB = "file://var/store/activemq/brokers/KahaDB";
    private static final String BROKERS = "file://var/store/activemq/brokers";
    /** Where the broker keeps the body of large mail (blob messages). */
    private static final String BLOBS = "file://var/store/activemq/blob-transfer";

    private final BrokerService broker;
    private final ActiveMQConnectionFactory connectionFactory;

    /**
     * The database is asked for only to be created first: James stops in the reverse order of creation, so the queues
     * stop, then this broker, then the database that the mail in flight was being delivered to.
     */
    @Inject
    EmbeddedBroker(
            FileSystem fileSystem,
            KahaDBPersistenceAdapter kahaDb,
            @SuppressWarnings("UnusedVariable") DurableDatabase database)
            throws Exception {
        kahaDb.setDirectory(fileSystem.getFile(KAHADB));
        broker = new BrokerService();
        broker.setBrokerName(BROKER_NAME);
        broker.setBrokerId("broker");
        broker.setPersistent(true);
        broker.setPersistenceAdapter(kahaDb);
        broker.setDataDirectoryFile(fileSystem.getFile(BROKERS));
        broker.setUseShutdownHook(false);
        broker.setSchedulerSupport(false);
        broker.setUseJmx(false);
        ManagementContext management = new ManagementContext();
        management.setCreateConnector(false);
        broker.setManagementContext(management);
        // The queue metrics of James's ActiveMQMetricCollector ask the statistics plugin.
        broker.setPlugins(new BrokerPlugin[] {new StatisticsBrokerPlugin()});
        broker.setEnableStatistics(true);
        broker.start();
        connectionFactory = connectionFactory(fileSystem);
    }

    private static ActiveMQConnectionFactory connectionFactory(FileSystem fileSystem) throws FileNotFoundException {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("vm://" + BROKER_NAME + "?create=false");
        factory.setTrustAllPackages(false);
        FileSystemBlobTransferPolicy blobs = new FileSystemBlobTransferPolicy();
        blobs.setDefaultUploadUrl(BLOBS);
        blobs.setFileSystem(fileSystem);
        factory.setBlobTransferPolicy(blobs);
        // No prefetch: a mail is taken from the queue only when a spooler thread is free to process it.
        ActiveMQPrefetchPolicy prefetch = new ActiveMQPrefetchPolicy();
        prefetch.setQueuePrefetch(0);
        prefetch.setTopicPrefetch(0);
        factory.setPrefetchPolicy(prefetch);
        return factory;
    }

    public ConnectionFactory connectionFactory() {
        return connectionFactory;
    }

    @PreDestroy
    public void stop() throws Exception {
        broker.stop();
        broker.waitUntilStopped();
    }
}
