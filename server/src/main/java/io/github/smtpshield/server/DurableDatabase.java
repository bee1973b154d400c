package io.github.smtpshield.server;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import java.io.FileNotFoundException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import javax.annotation.PreDestroy;
import javax.persistence.EntityManagerFactory;
import javax.persistence.Persistence;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.utils.PropertiesProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JPA store (OpenJPA) of domains, users, recipient rewrites, mailboxes and Sieve scripts, as
 * {@code conf/james-database.properties} names it: an embedded Derby under {@code var/store/derby} by default.
 *
 * <p>A class of its own rather than a provider method so that James's lifecycle sees its {@link PreDestroy}: on a clean
 * stop the factory is closed and an embedded Derby is shut down (no recovery at the next start).
 */
@Singleton
public final class DurableDatabase {
    private static final Logger LOGGER = LoggerFactory.getLogger(DurableDatabase.class);
    /** The persistence unit of META-INF/persistence.xml. */
    private static final String PERSISTENCE_UNIT = "Global";

    private static final String DERBY_EMBEDDED_DRIVER = "org.apache.derby.jdbc.EmbeddedDriver";
    /** Derby answers a successful shutdown of the whole system with this SQL state. */
    private static final String DERBY_SYSTEM_SHUTDOWN = "XJ015";

    private final EntityManagerFactory entityManagerFactory;
    private final boolean embeddedDerby;

    @Inject
    DurableDatabase(PropertiesProvider propertiesProvider) throws FileNotFoundException, ConfigurationException {
        Configuration database = propertiesProvider.getConfiguration("james-database");
        String driver = database.getString("database.driverClassName", DERBY_EMBEDDED_DRIVER);
        this.embeddedDerby = driver.equals(DERBY_EMBEDDED_DRIVER);
        this.entityManagerFactory = Persistence.createEntityManagerFactory(PERSISTENCE_UNIT, jpaProperties(database));
    }

    /** James's {@code database.*} keys, then every {@code openjpa.*} key as it is (they win). */
    static Map<String, String> jpaProperties(Configuration database) {
        Map<String, String> properties = new HashMap<>();
        properties.put(
                "openjpa.ConnectionDriverName", database.getString("database.driverClassName", DERBY_EMBEDDED_DRIVER));
        properties.put(
                "openjpa.ConnectionURL", database.getString("database.url", "jdbc:derby:var/store/derby;create=true"));
        String username = database.getString("database.username", "");
        if (!username.isBlank()) {
            properties.put("openjpa.ConnectionUserName", username);
            properties.put("openjpa.ConnectionPassword", database.getString("database.password", ""));
        }
        // James's mailbox manager calls the factory from many threads at once.
        properties.put("openjpa.Multithreaded", "true");
        for (Iterator<String> keys = database.getKeys("openjpa"); keys.hasNext(); ) {
            String key = keys.next();
            properties.put(key, database.getString(key));
        }
        return properties;
    }

    public EntityManagerFactory entityManagerFactory() {
        return entityManagerFactory;
    }

    @PreDestroy
    public void close() {
        entityManagerFactory.close();
        if (embeddedDerby) {
            try {
                DriverManager.getConnection("jdbc:derby:;shutdown=true").close();
            } catch (SQLException e) {
                if (!DERBY_SYSTEM_SHUTDOWN.equals(e.getSQLState())) {
                    LOGGER.warn("Derby did not shut down cleanly: {}", e.getMessage());
                }
            }
        }
    }
}
