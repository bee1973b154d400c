package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A harvest block outlives the server: a clean restart, and a kill -9. */
class BlockPersistenceIT {

    @Test
    void aBlockSurvivesARestartAndACrash() {
        try (ShieldServer server = TestPolicy.trustOnlyLocalhost(ShieldServer.prepare())) {
            server.writeConf("smtpshield.xml", TestPolicy.perIp("""
                    <maxUnknownRecipients window="1h" blockFor="1h">1</maxUnknownRecipients>
                    """)).start();
            try (SmtpClient harvester = SmtpClient.connect("127.0.0.20", server.smtpPort())) {
                harvester.send("EHLO harvester.test");
                harvester.send("MAIL FROM:<spam@harvester.test>");
                assertThat(harvester.send("RCPT TO:<nobody1@localhost>").line()).startsWith("550 5.1.1");
                assertThat(harvester.send("RCPT TO:<nobody2@localhost>").line()).startsWith("421 4.7.1");
            }

            server.stop();
            server.start();
            assertBlocked(server);

            server.kill();
            server.start();
            assertBlocked(server);
            try (SmtpClient other = SmtpClient.connect("127.0.0.21", server.smtpPort())) {
                assertThat(other.greeting().code()).isEqualTo(220);
            }
        }
    }

    private static void assertBlocked(ShieldServer server) {
        try (SmtpClient client = SmtpClient.connect("127.0.0.20", server.smtpPort())) {
            assertThat(client.greeting().line())
                    .isEqualTo("421 4.7.1 Connections from 127.0.0.20 are blocked, try again later");
        }
    }
}
