package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an outsider on the guarded port 25 is told, and what the security log says about it.
 *
 * <ul>
 *   <li>Backscatter: mail that passed the session's size check is never bounced by the mailets for the same cap (they
 *       measure the bytes the session measured, not James's own {@code Received:} on top), and no DSN goes to the
 *       sender of unauthenticated inbound port-25 mail, whatever rejects it in the mailet container: its sender may
 *       be forged. The forged sender is in a remote domain, as an attacker's victim is: James's RemoteDelivery sends
 *       all remote mail to a real SMTP server on loopback ({@link RemoteSmtpServer}), where a DSN would arrive.</li>
 *   <li>Relay attempts get {@code 550 5.7.1 Relaying denied}, before and after STARTTLS (James answers
 *       {@code 530 5.7.1 Authentication Required} once it announces AUTH).</li>
 *   <li>The security log: one line per refusal naming the command and the client, relay denials and unknown
 *       recipients included; "SMTP connection ... rejected" only where the connection is.</li>
 * </ul>
 * Only 127.0.0.1 may relay without AUTH; the outsiders are 127.0.0.40 and up. Cap: 64K.
 */
class InboundRefusalsIT {
    private static final int CAP = 64 * 1024;
    private static final String DOMAIN = "example.test";
    private static final String PASSWORD = "secret";
    private static final String VICTIM = "victim@victim.test";

    private static RemoteSmtpServer remote;
    private static ShieldServer server;

    @BeforeAll
    static void start() {
        remote = RemoteSmtpServer.withoutStartTls();
        server = TestPolicy.trustOnlyLocalhost(ShieldServer.prepare())
                .writeConf("smtpshield.xml", """
                <smtpshield>
                  <exempt><networks>127.0.0.1/32</networks></exempt>
                  <session><maxMessageSize>64K</maxMessageSize></session>
                </smtpshield>
                """)
                // A content rule of the administrator's that rejects with a DSN, beside the shipped cap matchers.
                .editConf(
                        "mailetcontainer.xml",
                        xml -> xml.replace(
                                        "<mailet match=\"All\" class=\"PostmasterAlias\"/>",
                                        "<mailet match=\"SubjectIs=reject me\" class=\"io.github.smtpshield.mailets.RejectWithDsn\">"
                                                + "<reason>Content refused</reason></mailet>\n"
                                                + "<mailet match=\"All\" class=\"PostmasterAlias\"/>")
                                .replace(
                                        "<outgoing>outgoing</outgoing>",
                                        "<outgoing>outgoing</outgoing>\n<gateway>127.0.0.1</gateway>\n<gatewayPort>"
                                                + remote.port() + "</gatewayPort>"))
                .start();
        server.webAdmin().createUser(DOMAIN, "alice@" + DOMAIN, PASSWORD);
        for (String user : List.of("bob", "carol")) {
            server.webAdmin().addUser(user + "@" + DOMAIN, PASSWORD);
        }
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

    @Test
    void aMessageOfExactlyTheAdvertisedSizeIsDeliveredAndNobodyIsBounced() {
        String message = exactly(CAP, "Subject: exactly the advertised SIZE");
        try (SmtpClient smtp = SmtpClient.connect("127.0.0.40", server.smtpPort())) {
            assertThat(smtp.send("EHLO outsider.test").lines()).contains("250-SIZE " + CAP);
            assertThat(smtp.send("MAIL FROM:<" + VICTIM + "> SIZE=" + CAP).code())
                    .isEqualTo(250);
            assertThat(smtp.send("RCPT TO:<alice@" + DOMAIN + ">").code()).isEqualTo(250);
            assertThat(smtp.data(message).code()).isEqualTo(250);
        }

        Inbox alice = Inbox.of(server, "alice@" + DOMAIN, PASSWORD);
        alice.awaitSize(1);
        alice.awaitMessage(1, text -> assertThat(text).contains("Subject: exactly the advertised SIZE"));
        // Delivered, so no cap matcher selected it: there was nothing to bounce.
        assertThat(dsnsToTheVictim()).isEmpty();
    }

    @Test
    void aLongEhloDoesNotPushAMessageUnderTheCapOverIt() {
        // James's Received: repeats the EHLO name; 250 octets is a legal name.
        String ehlo = String.join(".", "h".repeat(61), "e".repeat(61), "l".repeat(61), "o".repeat(61) + ".test");
        try (SmtpClient smtp = SmtpClient.connect("127.0.0.41", server.smtpPort())) {
            assertThat(smtp.send("EHLO " + ehlo).code()).isEqualTo(250);
            SmtpClient.Reply sent =
                    smtp.sendMail(VICTIM, List.of("bob@" + DOMAIN), exactly(CAP - 300, "Subject: long EHLO"));
            assertThat(sent.code()).as(sent.toString()).isEqualTo(250);
        }

        Inbox bob = Inbox.of(server, "bob@" + DOMAIN, PASSWORD);
        bob.awaitSize(1);
        bob.awaitMessage(1, text -> assertThat(text).contains("Subject: long EHLO"));
        assertThat(dsnsToTheVictim()).isEmpty();
    }

    @Test
    void mailRejectedInTheMailetContainerGetsNoDsnWhenItCameUnauthenticatedThroughPort25() {
        try (SmtpClient smtp = SmtpClient.connect("127.0.0.42", server.smtpPort())) {
            smtp.send("EHLO outsider.test");
            SmtpClient.Reply sent =
                    smtp.sendMail(VICTIM, List.of("carol@" + DOMAIN), "Subject: reject me\r\n\r\nForged sender.");
            assertThat(sent.code()).as(sent.toString()).isEqualTo(250);
        }
        Awaitility.await("the rejection in the security log")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> server.securityLog()
                        .lines()
                        .anyMatch(line -> line.contains("from " + VICTIM) && line.contains("Content refused")));
        // A DSN, had one been sent, reaches the remote server within a second or two: watch it stay away.
        Awaitility.await("no DSN at the forged sender's server")
                .during(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> dsnsToTheVictim().isEmpty());
        assertThat(server.securityLog())
                .contains("no DSN to the sender of unauthenticated inbound mail (it may be forged)");
        assertThat(Inbox.of(server, "carol@" + DOMAIN, PASSWORD).size()).isZero();
    }

    @Test
    void anUnauthenticatedRelayAttemptGetsRelayingDeniedWithOrWithoutTls() {
        try (SmtpClient smtp = SmtpClient.connect("127.0.0.43", server.smtpPort())) {
            smtp.send("EHLO outsider.test");
            assertThat(smtp.send("MAIL FROM:<someone@sender.test>").code()).isEqualTo(250);
            assertThat(smtp.send("RCPT TO:<user@remote.test>").line()).isEqualTo("550 5.7.1 Relaying denied");

            assertThat(smtp.send("RSET").code()).isEqualTo(250);
            assertThat(smtp.startTls().code()).isEqualTo(220);
            assertThat(smtp.send("EHLO outsider.test").lines()).anyMatch(line -> line.contains("AUTH"));
            assertThat(smtp.send("MAIL FROM:<someone@sender.test>").code()).isEqualTo(250);
            assertThat(smtp.send("RCPT TO:<user@remote.test>").line()).isEqualTo("550 5.7.1 Relaying denied");
            // The local recipient is still welcome.
            assertThat(smtp.send("RCPT TO:<alice@" + DOMAIN + ">").code()).isEqualTo(250);
        }
    }

    @Test
    void theSecurityLogHasOneLinePerRefusalNamingTheCommandAndTheClient() {
        try (SmtpClient smtp = SmtpClient.connect("127.0.0.44", server.smtpPort())) {
            smtp.send("EHLO outsider.test");
            assertThat(smtp.send("MAIL FROM:<someone@sender.test> SIZE=" + (CAP + 1))
                            .line())
                    .isEqualTo("552 5.3.4 Message size exceeds fixed limit");
            assertThat(smtp.send("MAIL FROM:<someone@sender.test>").code()).isEqualTo(250);
            assertThat(smtp.send("RCPT TO:<elsewhere@remote.test>").code()).isEqualTo(550);
            assertThat(smtp.send("RCPT TO:<nobody@" + DOMAIN + ">").line()).startsWith("550 5.1.1");
            assertThat(smtp.send("QUIT").code()).isEqualTo(221);
        }

        List<String> lines = server.securityLog()
                .lines()
                .filter(line -> line.contains("127.0.0.44"))
                .toList();
        assertThat(lines)
                .hasSize(3)
                .anyMatch(
                        line -> line.endsWith(
                                "SMTP MAIL from 127.0.0.44 rejected: message size exceeds the limit (declared 65537 bytes, limit 65536)"))
                .anyMatch(line ->
                        line.endsWith("SMTP RCPT from 127.0.0.44 rejected: relaying denied (elsewhere@remote.test)"))
                .anyMatch(
                        line -> line.endsWith(
                                "SMTP RCPT from 127.0.0.44 rejected: unknown recipient (5.1.1 Unknown user: nobody@example.test)"))
                .noneMatch(line -> line.contains("SMTP connection from"));
    }

    private static List<RemoteSmtpServer.Message> dsnsToTheVictim() {
        return remote.messages().stream()
                .filter(message -> message.recipients().contains(VICTIM))
                .toList();
    }

    /**
     * A message of exactly {@code bytes} bytes as RFC 1870 counts them (every line with its CRLF, not the final dot) once
     * {@link SmtpClient#data} has sent it: the header line, an empty line, then lines of x.
     */
    private static String exactly(int bytes, String header) {
        StringBuilder message = new StringBuilder(header).append("\r\n\r\n");
        int remaining = bytes - message.length();
        String line = "x".repeat(76) + "\r\n";
        while (remaining > 1000) {
            message.append(line);
            remaining -= line.length();
        }
        // The last line gets its CRLF from SmtpClient.data.
        return message.append("x".repeat(remaining - 2)).toString();
    }
}
