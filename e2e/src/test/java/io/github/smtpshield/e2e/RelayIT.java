package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Relay control (Kerio: relay only for authenticated users or authorized networks), end to end.
 *
 * <p>Set-up: on port 25 only 127.0.0.1 may relay without authenticating (the shipped conf authorizes 127.0.0.0/8),
 * so a client bound to 127.0.0.5 is an outsider. James's RemoteDelivery sends all remote mail to a real SMTP
 * server on loopback ({@link RemoteSmtpServer}) through its {@code gateway}/{@code gatewayPort} parameters: no DNS is
 * involved and anything James relays, for any domain, arrives there. The policy is reduced to what relaying needs (no
 * per-IP limits, no DNS checks), so every refusal seen here is James's relay decision, not another rule's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RelayIT {
    private static final String OUTSIDER = "127.0.0.5";
    private static final String PASSWORD = "secret";

    private static RemoteSmtpServer remote;
    private static ShieldServer server;

    @BeforeAll
    static void start() {
        remote = RemoteSmtpServer.withStartTls();
        server = TestPolicy.trustOnlyLocalhost(ShieldServer.prepare())
                .writeConf("smtpshield.xml", """
                <smtpshield>
                  <exempt><networks>127.0.0.1/32</networks></exempt>
                  <relay><allowOpenRelay>false</allowOpenRelay></relay>
                </smtpshield>
                """)
                .editConf(
                        "mailetcontainer.xml",
                        xml -> xml.replace(
                                "<outgoing>outgoing</outgoing>",
                                "<outgoing>outgoing</outgoing>\n<gateway>127.0.0.1</gateway>\n<gatewayPort>"
                                        + remote.port() + "</gatewayPort>"))
                .start();
        server.webAdmin().createUser("example.test", "alice@example.test", PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (remote != null) {
            remote.close();
        }
    }

    /** Every way of naming a remote mailbox that an open-relay test battery tries; each must be refused. */
    @Order(1)
    @ParameterizedTest
    @ValueSource(
            strings = {
                "user@remote.test",
                "user%remote.test@example.test",
                "\"user@remote.test\"@example.test",
                "@example.test:user@remote.test",
                "remote.test!user@example.test",
                "user@REMOTE.TEST",
                "user@Remote.Test",
                "user@remote.test.",
                "user%remote.test@EXAMPLE.TEST",
                "user%remote.test@example.test.",
                "\"user%remote.test\"@example.test",
                "user@[127.0.0.1]",
                "user%remote.test@[127.0.0.1]",
                "user@[127.0.0.5]",
                "user@[IPv6:::1]",
            })
    void anOutsiderCannotRelayOnPort25(String recipient) {
        try (SmtpClient smtp = SmtpClient.connect(OUTSIDER, server.smtpPort())) {
            assertThat(smtp.send("EHLO outsider.test").code()).isEqualTo(250);
            assertThat(smtp.send("MAIL FROM:<spammer@sender.test>").code()).isEqualTo(250);

            SmtpClient.Reply rcpt = smtp.send("RCPT TO:<" + recipient + ">");

            // Refused: 5xx, except that James 3.8.1 answers "451 4.0.0 Unexpected error" for a quoted local part
            // holding an '@' (its user lookup fails on it); either way the recipient is not accepted.
            assertThat(rcpt.code())
                    .as("RCPT TO:<%s> answered %s", recipient, rcpt)
                    .isBetween(400, 599);
            assertThat(smtp.data("Subject: relay test\r\n\r\nrelayed?").code())
                    .as("DATA after a refused RCPT")
                    .isBetween(500, 599);
        }
    }

    @Order(2)
    @Test
    void anOutsiderCannotRelayOnSubmissionNorSmtpsWithoutAuthenticating() {
        try (SmtpClient smtp = SmtpClient.connect(OUTSIDER, server.submissionPort())) {
            smtp.send("EHLO outsider.test");
            smtp.startTls();
            smtp.send("EHLO outsider.test");
            smtp.send("MAIL FROM:<spammer@sender.test>");
            assertThat(smtp.send("RCPT TO:<user@remote.test>").line()).startsWith("530 5.7.1");
        }
        try (SmtpClient smtp = SmtpClient.connectTls(OUTSIDER, server.smtpsPort())) {
            smtp.send("EHLO outsider.test");
            smtp.send("MAIL FROM:<spammer@sender.test>");
            assertThat(smtp.send("RCPT TO:<user@remote.test>").line()).startsWith("530 5.7.1");
        }
        // Loopback is no authorized network on 587/465: 127.0.0.1 must authenticate there too.
        try (SmtpClient smtp = SmtpClient.connect("127.0.0.1", server.submissionPort())) {
            smtp.send("EHLO localhost");
            smtp.startTls();
            smtp.send("EHLO localhost");
            assertThat(smtp.send("MAIL FROM:<someone@sender.test>").code()).isEqualTo(250);
            assertThat(smtp.send("RCPT TO:<user@remote.test>").line()).startsWith("530 5.7.1");
        }
    }

    @Order(2)
    @Test
    void submissionAndSmtpsNeverOfferAuthWithoutTls() {
        try (SmtpClient smtp = SmtpClient.connect(OUTSIDER, server.submissionPort())) {
            SmtpClient.Reply plain = smtp.send("EHLO outsider.test");
            assertThat(plain.lines())
                    .noneMatch(line -> line.contains("AUTH"))
                    .anyMatch(line -> line.contains("STARTTLS"));

            assertThat(smtp.startTls().code()).isEqualTo(220);
            SmtpClient.Reply encrypted = smtp.send("EHLO outsider.test");
            assertThat(encrypted.lines()).anyMatch(line -> line.matches("250[- ]AUTH .*PLAIN.*"));
        }
        try (SmtpClient smtp = SmtpClient.connectTls(OUTSIDER, server.smtpsPort())) {
            assertThat(smtp.send("EHLO outsider.test").lines()).anyMatch(line -> line.matches("250[- ]AUTH .*PLAIN.*"));
        }
    }

    @Order(2)
    @Test
    void authInClearIsRefusedEvenWithRightCredentials() {
        for (int port : new int[] {server.submissionPort(), server.smtpPort()}) {
            try (SmtpClient smtp = SmtpClient.connect(OUTSIDER, port)) {
                smtp.send("EHLO outsider.test");
                assertThat(smtp.authPlain("alice@example.test", PASSWORD).line())
                        .isEqualTo("538 5.7.11 Encryption required: use STARTTLS before AUTH");
                // Still unauthenticated: the remote recipient is refused (at MAIL on 587, which wants AUTH first).
                SmtpClient.Reply mail = smtp.send("MAIL FROM:<alice@example.test>");
                SmtpClient.Reply refusal = mail.code() == 250 ? smtp.send("RCPT TO:<user@remote.test>") : mail;
                assertThat(refusal.code()).as(refusal.toString()).isGreaterThanOrEqualTo(500);
            }
        }
    }

    /**
     * Port 25 announces AUTH only to outsiders, so James 3.8.1 gave a client of {@code authorizedAddresses} (here
     * 127.0.0.1) a {@code 235} for AUTH PLAIN in clear: with {@code requireSSL} the password must not cross in clear,
     * whoever sends it.
     */
    @Order(2)
    @Test
    void authInClearIsRefusedForAuthorizedNetworksToo() {
        try (SmtpClient smtp = SmtpClient.connect("127.0.0.1", server.smtpPort())) {
            assertThat(smtp.send("EHLO trusted.test").lines()).noneMatch(line -> line.contains("AUTH"));
            assertThat(smtp.authPlain("alice@example.test", PASSWORD).line())
                    .isEqualTo("538 5.7.11 Encryption required: use STARTTLS before AUTH");
            assertThat(smtp.startTls().code()).isEqualTo(220);
            smtp.send("EHLO trusted.test");
            assertThat(smtp.authPlain("alice@example.test", PASSWORD).code()).isEqualTo(235);
        }
    }

    /** The submission listeners run James's AUTH and RCPT with the shield's mends of James 3.8.1 (SubmissionCoreHandlers). */
    @Order(2)
    @Test
    void submissionAndSmtpsAnswerBadAuthAndOverlongPathsWithoutAnException() {
        int logBefore = server.jamesLog().length();
        try (SmtpClient submission = SmtpClient.connect(OUTSIDER, server.submissionPort());
                SmtpClient smtps = SmtpClient.connectTls(OUTSIDER, server.smtpsPort())) {
            submission.send("EHLO outsider.test");
            assertThat(submission.startTls().code()).isEqualTo(220);
            for (SmtpClient smtp : List.of(submission, smtps)) {
                smtp.send("EHLO outsider.test");
                // James 3.8.1: 451 Unable to process request, and a stack trace in its log.
                assertThat(smtp.send("AUTH LOGIN").line()).isEqualTo("334 VXNlcm5hbWU6");
                assertThat(smtp.send("a@b@c").line()).isEqualTo("501 Could not decode parameters for AUTH LOGIN");
                // James 3.8.1: 501 for this line and for every later one, QUIT included.
                assertThat(smtp.send("AUTH PLAIN").code()).isEqualTo(334);
                assertThat(smtp.send("not base64!").code()).isEqualTo(501);
                assertThat(smtp.authPlain("alice@example.test", PASSWORD).code())
                        .isEqualTo(235);

                assertThat(smtp.send("MAIL FROM:<alice@example.test>").code()).isEqualTo(250);
                // James 3.8.1: 451 4.0.0 Unexpected error (its user lookup throws on a name this long).
                assertThat(smtp.send("RCPT TO:<" + "a".repeat(250) + "@example.test>")
                                .line())
                        .isEqualTo("501 5.1.3 Path too long");
                assertThat(smtp.send("RSET").code()).isEqualTo(250);
            }
        }
        assertThat(server.jamesLog().substring(logBefore)).doesNotContain("ERROR");
    }

    /** Runs after the refusals: the remote server must then have received this one message and nothing else. */
    @Order(3)
    @Test
    void afterAuthOnSubmissionTheSameRemoteRecipientIsAcceptedAndRelayed() {
        try (SmtpClient smtp = SmtpClient.connect(OUTSIDER, server.submissionPort())) {
            smtp.send("EHLO outsider.test");
            assertThat(smtp.startTls().code()).isEqualTo(220);
            smtp.send("EHLO outsider.test");
            assertThat(smtp.authPlain("alice@example.test", PASSWORD).code()).isEqualTo(235);

            SmtpClient.Reply sent = smtp.sendMail(
                    "alice@example.test",
                    List.of("user@remote.test"),
                    "Subject: relayed after AUTH\r\n\r\nHello remote user.");
            assertThat(sent.code()).as(sent.toString()).isEqualTo(250);
        }

        Awaitility.await("the relayed message at the remote server")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> !remote.messages().isEmpty());
        RemoteSmtpServer.Message message = remote.messages().get(0);
        assertThat(message.recipients()).containsExactly("user@remote.test");
        assertThat(message.content()).contains("Subject: relayed after AUTH");
        // Nothing else ever reached the remote server: none of the refused recipients, on any port.
        assertThat(remote.commands("RCPT"))
                .extracting(RemoteSmtpServer.Command::argument)
                .containsOnly("user@remote.test");
        assertThat(remote.messages()).hasSize(1);
    }

    @Test
    void logsTheAuditOnceAtStartUp() {
        assertThat(server.jamesLog())
                .contains("SMTP Shield audit: OK   open relay: smtpserver-global")
                .contains(
                        "SMTP Shield audit: OK   AUTH offered without TLS: smtpserver-authenticated offers AUTH only after STARTTLS")
                .doesNotContain("SMTP Shield audit: FAIL");
        assertThat(server.jamesLog()
                        .lines()
                        .filter(line -> line.contains("SMTP Shield audit: OK   open relay: smtpserver-global")))
                .hasSize(1);
    }
}
