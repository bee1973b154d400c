package io.github.smtpshield.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Control characters a client sends never reach the log raw: AUTH credentials that decode to CR, LF, ESC ... are
 * refused before James logs their user name, and what James logs of unparsable MAIL and RCPT lines and PROXY headers
 * (ESC, bare CR, NUL) is escaped by the shipped logback patterns, so no client can write a line of james.log that looks like one of
 * the server's.
 */
class LogInjectionIT {
    /** What a forged entry starts with: a timestamp no real entry of this run has. */
    private static final String FORGED_TIMESTAMP = "2001-02-03 04:05:06.789";

    private static final String FORGED_ENTRY = FORGED_TIMESTAMP + " [ERROR] smtpshield - FORGED";
    private static final String CONTROL_CHARACTERS_REFUSED =
            "501 5.5.2 Control characters are not allowed in credentials";
    private static final String CLIENT = "127.0.0.21";

    private static ShieldServer server;

    @BeforeAll
    static void start() {
        server = ShieldServer.prepare()
                .writeConf(
                        "smtpshield.xml",
                        TestPolicy.withTrustedProxies(
                                TestPolicy.with("", "<maxFailedCommands>3</maxFailedCommands>"), "127.0.0.0/8"))
                // Submission behind a PROXY-protocol balancer, for the header test.
                .editConf(
                        "smtpserver.xml",
                        xml -> xml.replace(
                                "<jmxName>smtpserver-authenticated</jmxName>",
                                "<jmxName>smtpserver-authenticated</jmxName>\n        <proxyRequired>true</proxyRequired>"))
                .start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void authCredentialsWithControlCharactersAreRefusedAndCounted() {
        int logOffset = server.jamesLog().length();
        try (SmtpClient smtp = overTls()) {
            // One token: James takes it for a delegation and logs its user name at ERROR when nobody may delegate.
            assertThat(smtp.send("AUTH PLAIN " + base64("bob\n" + FORGED_ENTRY)).line())
                    .isEqualTo(CONTROL_CHARACTERS_REFUSED);
            assertThat(smtp.send("AUTH PLAIN").code()).isEqualTo(334);
            assertThat(smtp.send(base64("\0bob\r\n" + FORGED_ENTRY + "\0secret"))
                            .line())
                    .isEqualTo(CONTROL_CHARACTERS_REFUSED);
            assertThat(smtp.send("AUTH LOGIN " + base64("bob\u001b[2J\n" + FORGED_ENTRY))
                            .line())
                    .isEqualTo(CONTROL_CHARACTERS_REFUSED);

            // Each was a failed command: under a limit of 3 the fourth is answered 421 and the session ends.
            assertThat(smtp.send("AUTH PLAIN " + base64("\0bob\n" + FORGED_ENTRY + "\0secret")))
                    .satisfies(reply -> assertThat(reply.line()).startsWith("421 4.7.0"));
            assertThat(smtp.isClosedByServer()).isTrue();
        }
        assertNoForgedEntry(logOffset);
    }

    @Test
    void unparsableMailAndRcptLinesAreLoggedEscaped() {
        int logOffset = server.jamesLog().length();
        for (String line : List.of(
                "MAIL FROM:bob\r" + FORGED_ENTRY + "@example.com",
                "MAIL FROM:<bob\u001b[31m\u0000@example.com\r" + FORGED_ENTRY + ">",
                "RCPT TO:alice\r" + FORGED_ENTRY + "\u0000@localhost")) {
            try (SmtpClient smtp = SmtpClient.connect(CLIENT, server.smtpPort())) {
                smtp.send("EHLO client.test");
                if (line.startsWith("RCPT")) {
                    assertThat(smtp.send("MAIL FROM:<sender@example.com>").code())
                            .isEqualTo(250);
                }
                assertThat(smtp.send(line).code()).as(line).isBetween(500, 599);
            }
        }
        String log = assertNoForgedEntry(logOffset);
        assertThat(log).as("James logged the unparsable addresses, escaped").contains("bob\\r" + FORGED_ENTRY, "?[31m");
    }

    @Test
    void aProxyHeaderWithControlCharactersIsLoggedEscaped() {
        int logOffset = server.jamesLog().length();
        try (SmtpClient smtp = SmtpClient.connect(CLIENT, server.submissionPort())) {
            // Netty refuses the header (not six fields) and James logs it, in an exception's message.
            smtp.write("PROXY TCP4 198.51.100.1\r" + FORGED_ENTRY + "\u001b 127.0.0.1 1 587\r\n");
            Awaitility.await("James's log line about the PROXY header")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> server.jamesLog().substring(logOffset).contains("FORGED"));
        }
        assertNoForgedEntry(logOffset);
    }

    /** Port 25 after STARTTLS: AUTH is offered there only over TLS. */
    private static SmtpClient overTls() {
        SmtpClient smtp = SmtpClient.connect(CLIENT, server.smtpPort());
        smtp.send("EHLO client.test");
        assertThat(smtp.startTls().code()).isEqualTo(220);
        assertThat(smtp.send("EHLO client.test").code()).isEqualTo(250);
        return smtp;
    }

    /** Checks james.log from the offset on and returns that part. */
    private static String assertNoForgedEntry(int logOffset) {
        String log = server.jamesLog().substring(logOffset);
        assertThat(log.lines()).as("log lines a client forged").noneMatch(line -> line.startsWith(FORGED_TIMESTAMP));
        assertThat(log.codePoints().filter(c -> Character.getType(c) == Character.CONTROL && c != '\n' && c != '\t'))
                .as("raw control characters in:%n%s", log)
                .isEmpty();
        return log;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(UTF_8));
    }
}
