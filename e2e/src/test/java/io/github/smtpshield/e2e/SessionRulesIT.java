package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rules 5, 6 and 9 against the packaged server: failed commands per session, message size, recipients per
 * message. The clients connect from 127.0.0.2 and up; only 127.0.0.1 is exempt (and may relay) here.
 */
class SessionRulesIT {
    private static final int MAX_FAILED = 3;
    private static final int MAX_RECIPIENTS = 2;
    private static final int MAX_SIZE = 10 * 1024;
    private static final String DOMAIN = "example.test";
    private static final String SENDER = "sender@elsewhere.test";

    private static ShieldServer server;

    @BeforeAll
    static void start() {
        server = TestPolicy.trustOnlyLocalhost(ShieldServer.prepare())
                .writeConf("smtpshield.xml", """
                <smtpshield>
                  <exempt>
                    <networks>127.0.0.1/32</networks>
                    <authenticatedUsers>true</authenticatedUsers>
                  </exempt>
                  <session>
                    <maxFailedCommands>%d</maxFailedCommands>
                    <maxRecipientsPerMessage>%d</maxRecipientsPerMessage>
                    <maxMessageSize>10K</maxMessageSize>
                  </session>
                </smtpshield>
                """.formatted(MAX_FAILED, MAX_RECIPIENTS))
                .start();
        for (String user : List.of("size", "rcpt1", "rcpt2", "rcpt3")) {
            server.webAdmin().createUser(DOMAIN, user + "@" + DOMAIN, "secret");
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static SmtpClient connect(String source) {
        SmtpClient smtp = SmtpClient.connect(source, server.smtpPort());
        assertThat(smtp.greeting().code()).isEqualTo(220);
        assertThat(smtp.send("EHLO client.example.test").code()).isEqualTo(250);
        return smtp;
    }

    @Test
    void ehloAdvertisesThePolicySize() {
        try (SmtpClient smtp = SmtpClient.connect("127.0.0.2", server.smtpPort())) {
            assertThat(smtp.send("EHLO client.example.test").lines())
                    .anyMatch(line -> line.equals("250-SIZE " + MAX_SIZE) || line.equals("250 SIZE " + MAX_SIZE));
        }
    }

    @Test
    void aDeclaredSizeOverTheLimitIsRefusedAtMailFrom() {
        try (SmtpClient smtp = connect("127.0.0.2")) {
            assertThat(smtp.send("MAIL FROM:<" + SENDER + "> SIZE=" + (MAX_SIZE + 1))
                            .line())
                    .isEqualTo("552 5.3.4 Message size exceeds fixed limit");
            assertThat(smtp.send("MAIL FROM:<" + SENDER + "> SIZE=" + MAX_SIZE).code())
                    .isEqualTo(250);
        }
    }

    @Test
    void aDataStreamOverTheLimitIsRefusedAndTheNextMessageOfTheSessionIsDelivered() {
        String recipient = "size@" + DOMAIN;
        try (SmtpClient smtp = connect("127.0.0.3")) {
            // 1 MiB against a 10 KiB limit: read to its end and dropped as it arrives.
            SmtpClient.Reply tooBig =
                    smtp.sendMail(SENDER, List.of(recipient), "Subject: too big\r\n\r\n" + lines(1024 * 1024));
            assertThat(tooBig.line()).isEqualTo("552 5.3.4 Message size exceeds fixed limit");

            SmtpClient.Reply small = smtp.sendMail(SENDER, List.of(recipient), "Subject: small enough\r\n\r\nHello.");
            assertThat(small.code()).as(small.toString()).isEqualTo(250);
            assertThat(smtp.send("QUIT").code()).isEqualTo(221);
        }

        Inbox inbox = Inbox.of(server, recipient, "secret");
        inbox.awaitSize(1);
        inbox.awaitMessage(
                1, text -> assertThat(text).contains("Subject: small enough").doesNotContain("too big"));
        assertThat(inbox.size()).isEqualTo(1);
        assertThat(server.securityLog()).contains("SMTP DATA from 127.0.0.3 rejected: message size exceeds the limit");
    }

    @Test
    void recipientsOverTheCapGet452AndTheMessageGoesToTheOthersWithoutCountingAsFailures() {
        try (SmtpClient smtp = connect("127.0.0.4")) {
            assertThat(smtp.send("MAIL FROM:<" + SENDER + ">").code()).isEqualTo(250);
            assertThat(smtp.send("RCPT TO:<rcpt1@" + DOMAIN + ">").code()).isEqualTo(250);
            assertThat(smtp.send("RCPT TO:<rcpt2@" + DOMAIN + ">").code()).isEqualTo(250);
            for (int i = 0; i <= MAX_FAILED; i++) {
                // More 452s than the failed-command limit allows: they are not failures.
                assertThat(smtp.send("RCPT TO:<rcpt3@" + DOMAIN + ">").line()).startsWith("452 4.5.3 ");
            }
            SmtpClient.Reply sent = smtp.data("Subject: to two of three\r\n\r\nHello.");
            assertThat(sent.code()).as(sent.toString()).isEqualTo(250);
            assertThat(smtp.send("NOOP").code()).isEqualTo(250);
        }

        Inbox.of(server, "rcpt1@" + DOMAIN, "secret").awaitSize(1);
        Inbox.of(server, "rcpt2@" + DOMAIN, "secret").awaitSize(1);
        assertThat(Inbox.of(server, "rcpt3@" + DOMAIN, "secret").size()).isZero();
    }

    @Test
    void failedCommandsAreCountedAcrossRsetAndTheOneOverTheLimitCloses() {
        try (SmtpClient smtp = connect("127.0.0.5")) {
            assertThat(smtp.send("FOO").code()).isEqualTo(500);
            assertThat(smtp.send("RSET").code()).isEqualTo(250);
            assertThat(smtp.send("MAIL FROM:<not an address").code()).isEqualTo(501);
            assertThat(smtp.send("RSET").code()).isEqualTo(250);
            assertThat(smtp.send("MAIL FROM:<" + SENDER + ">").code()).isEqualTo(250);
            assertThat(smtp.send("MAIL FROM:<" + SENDER + ">").code())
                    .as("sender already given")
                    .isEqualTo(503);
            assertThat(smtp.send("RSET").code()).isEqualTo(250);

            SmtpClient.Reply fourth = smtp.send("BAR");
            assertThat(fourth.line()).isEqualTo("421 4.7.0 Too many errors from 127.0.0.5, closing connection");
            assertThat(smtp.isClosedByServer()).isTrue();
        }
        assertThat(server.securityLog())
                .contains(
                        "SMTP connection from 127.0.0.5 rejected: too many failed commands (limit " + MAX_FAILED + ")");
    }

    @Test
    void aRejectedDataCountsAsAFailedCommand() {
        try (SmtpClient smtp = connect("127.0.0.6")) {
            for (int i = 0; i < MAX_FAILED; i++) {
                assertThat(smtp.send("FOO").code()).isEqualTo(500);
            }
            SmtpClient.Reply tooBig = smtp.sendMail(SENDER, List.of("size@" + DOMAIN), lines(2 * MAX_SIZE));
            assertThat(tooBig.line()).isEqualTo("421 4.7.0 Too many errors from 127.0.0.6, closing connection");
            assertThat(smtp.isClosedByServer()).isTrue();
        }
    }

    @Test
    void failedAuthenticationsCount() {
        String wrong = Base64.getEncoder().encodeToString("nobody@example.test".getBytes(StandardCharsets.UTF_8));
        try (SmtpClient smtp = connect("127.0.0.7")) {
            // AUTH only over TLS (requireSSL); STARTTLS does not reset the count either.
            assertThat(smtp.startTls().code()).isEqualTo(220);
            assertThat(smtp.send("EHLO client.example.test").code()).isEqualTo(250);
            for (int i = 0; i < MAX_FAILED; i++) {
                // The credentials on continuation lines: a reply no result handler of James sees.
                assertThat(smtp.send("AUTH LOGIN").code()).isEqualTo(334);
                assertThat(smtp.send(wrong).code()).isEqualTo(334);
                assertThat(smtp.send(wrong).code()).isEqualTo(535);
            }
            SmtpClient.Reply fourth = smtp.send("AUTH PLAIN "
                    + Base64.getEncoder()
                            .encodeToString("\0nobody@example.test\0wrong".getBytes(StandardCharsets.UTF_8)));
            assertThat(fourth.line()).isEqualTo("421 4.7.0 Too many errors from 127.0.0.7, closing connection");
            assertThat(smtp.isClosedByServer()).isTrue();
        }
    }

    @Test
    void anExemptClientIsNotCountedButStillHasTheSizeLimit() {
        try (SmtpClient smtp = connect("127.0.0.1")) {
            for (int i = 0; i <= MAX_FAILED + 1; i++) {
                assertThat(smtp.send("FOO").code()).isEqualTo(500);
            }
            assertThat(smtp.send("MAIL FROM:<" + SENDER + "> SIZE=" + (MAX_SIZE + 1))
                            .line())
                    .isEqualTo("552 5.3.4 Message size exceeds fixed limit");
            assertThat(smtp.send("NOOP").code()).isEqualTo(250);
        }
    }

    /**
     * Header injection through HELO/EHLO: an argument with a control character, a byte beyond ASCII, more than one word
     * or more than 255 octets is refused {@code 501 5.5.4} (never echoed, never written into a Received: header), and
     * counts as a failed command; underscores and bare labels, which real clients send, stay allowed.
     */
    @Test
    void heloArgumentsThatCouldForgeHeadersAreRefusedAndCountAsFailedCommands() {
        String refused = "501 5.5.4 Invalid HELO/EHLO argument: one domain name or address literal, printable ASCII";
        try (SmtpClient smtp = SmtpClient.connect("127.0.0.8", server.smtpPort())) {
            assertThat(smtp.send(
                                    "EHLO evil.test\rAuthentication-Results: mx.example.test; dkim=pass header.d=bank.test")
                            .line())
                    .isEqualTo(refused);
            assertThat(smtp.send("HELO evil.test second-word").line()).isEqualTo(refused);
            assertThat(smtp.send("EHLO ev\u001bil.test").line()).isEqualTo(refused);
            assertThat(smtp.send("EHLO my_host").code()).isEqualTo(250);
            assertThat(smtp.send("HELO localhost").code()).isEqualTo(250);
            assertThat(smtp.send("EHLO [192.0.2.1]").code()).isEqualTo(250);
            // The fourth failure of the session, over the limit of 3.
            assertThat(smtp.send("EHLO caf\u00e9.test").line())
                    .isEqualTo("421 4.7.0 Too many errors from 127.0.0.8, closing connection");
            assertThat(smtp.isClosedByServer()).isTrue();
        }
        try (SmtpClient smtp = SmtpClient.connect("127.0.0.9", server.smtpPort())) {
            assertThat(smtp.send("EHLO ev\u0000il.test").line()).isEqualTo(refused);
            assertThat(smtp.send("EHLO ev\u007fil.test").line()).isEqualTo(refused);
            assertThat(smtp.send("EHLO " + "a".repeat(256)).line()).isEqualTo(refused);
            assertThat(smtp.send("EHLO " + "a".repeat(255)).code()).isEqualTo(250);
        }
        // Every listener: the submission port too (its policy counts nothing, but the argument is refused there).
        try (SmtpClient smtp = SmtpClient.connect("127.0.0.9", server.submissionPort())) {
            assertThat(smtp.send("EHLO evil.test\rSubject: injected").line()).isEqualTo(refused);
            assertThat(smtp.send("EHLO client.example.test").code()).isEqualTo(250);
        }
    }

    /** About {@code bytes} bytes of 78-character lines. */
    private static String lines(int bytes) {
        String line = "x".repeat(76);
        StringBuilder body = new StringBuilder();
        while (body.length() < bytes) {
            body.append(line).append("\r\n");
        }
        return body.toString();
    }
}
