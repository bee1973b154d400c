package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rules in observe mode log what they would have rejected and change nothing for the client. */
class ObserveModeIT {

    @Test
    void observedRulesRejectNothingAndLogWhatTheyWouldHaveDone() {
        try (ShieldServer server = TestPolicy.trustOnlyLocalhost(ShieldServer.prepare())) {
            server.writeConf("smtpshield.xml", TestPolicy.perIp("""
                    <maxMessagesPerHour mode="observe">1</maxMessagesPerHour>
                    <maxConcurrentConnections mode="observe">1</maxConcurrentConnections>
                    <maxUnknownRecipients window="1h" blockFor="1h" mode="observe">1</maxUnknownRecipients>
                    """)).start();
            server.webAdmin().createUser("example.test", "alice@example.test", "secret");

            List<SmtpClient> open = new ArrayList<>();
            try {
                open.add(SmtpClient.connect("127.0.0.30", server.smtpPort()));
                open.add(SmtpClient.connect("127.0.0.30", server.smtpPort()));
                assertThat(open)
                        .allSatisfy(
                                client -> assertThat(client.greeting().code()).isEqualTo(220));

                SmtpClient client = open.get(1);
                client.send("EHLO observed.test");
                for (int i = 0; i < 3; i++) {
                    assertThat(client.sendMail(
                                            "bob@sender.test",
                                            List.of("alice@example.test"),
                                            "Subject: observed\r\n\r\nHi.")
                                    .code())
                            .isEqualTo(250);
                }
                client.send("MAIL FROM:<bob@sender.test>");
                for (int i = 0; i < 3; i++) {
                    assertThat(client.send("RCPT TO:<nobody" + i + "@example.test>")
                                    .line())
                            .startsWith("550 5.1.1");
                }
            } finally {
                open.forEach(SmtpClient::close);
            }
            try (SmtpClient again = SmtpClient.connect("127.0.0.30", server.smtpPort())) {
                assertThat(again.greeting().code()).as("never blocked").isEqualTo(220);
            }

            assertThat(server.securityLog())
                    .contains(
                            "SMTP connection from 127.0.0.30 would be rejected (observe mode): too many concurrent connections (limit 1)")
                    .contains(
                            "SMTP MAIL from 127.0.0.30 would be rejected (observe mode): too many messages per hour (limit 1 per hour)")
                    .contains(
                            "SMTP connection from 127.0.0.30 would be rejected (observe mode): directory harvest attack (at RCPT)")
                    // James's own 550 5.1.1 for each unknown recipient stands, and is logged as such.
                    .contains(
                            "SMTP RCPT from 127.0.0.30 rejected: unknown recipient (5.1.1 Unknown user: nobody2@example.test)")
                    .doesNotContain("SMTP connection from 127.0.0.30 rejected")
                    .doesNotContain("SMTP MAIL from 127.0.0.30 rejected")
                    .doesNotContain("Block of 127.0.0.30");
        }
    }
}
