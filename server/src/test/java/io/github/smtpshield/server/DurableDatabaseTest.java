package io.github.smtpshield.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.commons.configuration2.BaseConfiguration;
import org.junit.jupiter.api.Test;

class DurableDatabaseTest {
    @Test
    void anEmptyFileMeansTheEmbeddedDerbyUnderVar() {
        assertThat(DurableDatabase.jpaProperties(new BaseConfiguration()))
                .containsEntry("openjpa.ConnectionDriverName", "org.apache.derby.jdbc.EmbeddedDriver")
                .containsEntry("openjpa.ConnectionURL", "jdbc:derby:var/store/derby;create=true")
                .containsEntry("openjpa.Multithreaded", "true")
                .doesNotContainKey("openjpa.ConnectionUserName");
    }

    @Test
    void jamesKeysNameTheDatabaseAndOpenJpaKeysPassAsTheyAre() {
        BaseConfiguration file = new BaseConfiguration();
        file.addProperty("database.driverClassName", "org.postgresql.Driver");
        file.addProperty("database.url", "jdbc:postgresql://db.example.net:5432/james");
        file.addProperty("database.username", "james");
        file.addProperty("database.password", "secret");
        file.addProperty("openjpa.ConnectionProperties", "MaxTotal=20");

        assertThat(DurableDatabase.jpaProperties(file))
                .containsEntry("openjpa.ConnectionDriverName", "org.postgresql.Driver")
                .containsEntry("openjpa.ConnectionURL", "jdbc:postgresql://db.example.net:5432/james")
                .containsEntry("openjpa.ConnectionUserName", "james")
                .containsEntry("openjpa.ConnectionPassword", "secret")
                .containsEntry("openjpa.ConnectionProperties", "MaxTotal=20");
    }
}
