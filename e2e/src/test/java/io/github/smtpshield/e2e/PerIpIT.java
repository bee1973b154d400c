package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-IP rules on the packaged server (rules 2, 3 and 4 of the README): each test uses its own loopback source
 * addresses, so the server sees distinct clients and the tests do not disturb each other.
 */
class PerIpIT {
    private static final String MESSAGE = "Subject: per-IP test\r\n\r\nHello.";
    static ShieldServer server;

    @BeforeAll
    static void start() {
        server = startServer(TestPolicy.MEMORY_STORE);
    }

    /** The server of these tests, on the given {@code <store>} (subclasses run them on another store). */
    static ShieldServer startServer(String store) {
        ShieldServer started = TestPolicy.trustOnlyLocalhost(ShieldServer.prepare())
                .writeConf("smtpshield.xml", TestPolicy.perIp("""
                <maxMessagesPerHour>2</maxMessagesPerHour>
                <maxConcurrentConnections>3</maxConcurrentConnections>
                <maxUnknownRecipients window="1h" blockFor="20s">3</maxUnknownRecipients>
                """, store))
                // AUTH in clear on port 25, for the test of authenticated exemption only.
                .editConf(
                        "smtpserver.xml",
                        xml -> xml.replaceFirst("<requireSSL>true</requireSSL>", "<requireSSL>false</requireSSL>"))
                .start();
        started.webAdmin().createUser("example.test", "alice@example.test", "secret");
        return started;
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theConnectionOverTheLimitIsRefusedAndAnotherClientIsNot() {
        List<SmtpClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                open.add(SmtpClient.connect("127.0.0.2", server.smtpPort()));
                assertThat(open.get(i).greeting().code()).isEqualTo(220);
            }

            try (SmtpClient fourth = SmtpClient.connect("127.0.0.2", server.smtpPort())) {
                assertThat(fourth.greeting().line()).isEqualTo("421 4.7.0 Too many connections from 127.0.0.2");
                assertThat(fourth.isClosedByServer()).isTrue();
            }
            try (SmtpClient other = SmtpClient.connect("127.0.0.3", server.smtpPort())) {
                assertThat(other.greeting().code()).isEqualTo(220);
            }
            assertThat(server.securityLog())
                    .contains("SMTP connection from 127.0.0.2 rejected: too many concurrent connections (limit 3)");
        } finally {
            open.forEach(SmtpClient::close);
        }
    }

    @Test
    void connectionsThatDropWithoutQuitGiveTheirSlotBack() {
        for (int round = 0; round < 3; round++) {
            List<SmtpClient> open = new ArrayList<>();
            Awaitility.await("three slots free for 127.0.0.4")
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        open.forEach(SmtpClient::close);
                        open.clear();
                        for (int i = 0; i < 3; i++) {
                            SmtpClient client = SmtpClient.connect("127.0.0.4", server.smtpPort());
                            open.add(client);
                            if (client.greeting().code() != 220) {
                                return false;
                            }
                        }
                        return true;
                    });
            // Vanish: mid-command, after a half-sent line, or at once; never QUIT.
            open.get(0).send("EHLO dropper.test");
            open.get(1).write("MAIL FROM:<half@sender.te");
            open.forEach(SmtpClient::abort);
        }
    }

    @Test
    void connectionsWhoseTlsHandshakeFailsGiveTheirSlotBack() {
        for (int round = 0; round < 2; round++) {
            List<SmtpClient> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    SmtpClient client = SmtpClient.connect("127.0.0.10", server.smtpPort());
                    open.add(client);
                    Awaitility.await()
                            .atMost(Duration.ofSeconds(20))
                            .until(() -> client.greeting().code() == 220);
                    client.send("EHLO tls.test");
                    assertThat(client.send("STARTTLS").code()).isEqualTo(220);
                    client.write("this is not a TLS ClientHello\r\n\r\n");
                }
                for (SmtpClient client : open) {
                    assertThat(client.isClosedByServer())
                            .as("the server drops a failed handshake")
                            .isTrue();
                }
            } finally {
                open.forEach(SmtpClient::close);
            }
            Awaitility.await("the three slots of 127.0.0.10 back")
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> server.webAdmin()
                            .get("/smtpshield/counters/127.0.0.10")
                            .body()
                            .contains("\"connections\":0"));
        }
    }

    @Test
    void theHourlyBudgetRefusesTheNextMessageAndTheSessionGoesOn() {
        try (SmtpClient client = SmtpClient.connect("127.0.0.5", server.smtpPort())) {
            client.send("EHLO sender.test");
            for (int i = 0; i < 2; i++) {
                assertThat(client.sendMail("bob@sender.test", List.of("alice@example.test"), MESSAGE)
                                .code())
                        .isEqualTo(250);
            }

            assertThat(client.send("MAIL FROM:<bob@sender.test>").line())
                    .isEqualTo("450 4.7.1 Too much mail from 127.0.0.5, try again later");
            assertThat(client.send("RSET").code()).isEqualTo(250);
            assertThat(client.send("NOOP").code()).isEqualTo(250);
            assertThat(client.send("QUIT").code()).isEqualTo(221);
        }
        try (SmtpClient other = SmtpClient.connect("127.0.0.6", server.smtpPort())) {
            other.send("EHLO other.test");
            assertThat(other.sendMail("carol@sender.test", List.of("alice@example.test"), MESSAGE)
                            .code())
                    .isEqualTo(250);
        }
        assertThat(server.securityLog())
                .contains("SMTP MAIL from 127.0.0.5 rejected: too many messages per hour (limit 2 per hour)");
    }

    @Test
    void anAuthenticatedClientIsNotLimited() {
        String plain =
                Base64.getEncoder().encodeToString("\0alice@example.test\0secret".getBytes(StandardCharsets.UTF_8));
        try (SmtpClient client = SmtpClient.connect("127.0.0.7", server.smtpPort())) {
            client.send("EHLO alice.test");
            assertThat(client.send("AUTH PLAIN " + plain).code()).isEqualTo(235);
            for (int i = 0; i < 4; i++) {
                assertThat(client.sendMail("alice@example.test", List.of("alice@example.test"), MESSAGE)
                                .code())
                        .as("message " + (i + 1))
                        .isEqualTo(250);
            }
        }
    }

    @Test
    void theExemptNetworkIsNeverLimited() {
        List<SmtpClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                open.add(SmtpClient.connect("127.0.0.1", server.smtpPort()));
                assertThat(open.get(i).greeting().code())
                        .as("connection " + (i + 1))
                        .isEqualTo(220);
            }
            SmtpClient client = open.get(0);
            client.send("EHLO localhost");
            for (int i = 0; i < 3; i++) {
                assertThat(client.sendMail("bob@sender.test", List.of("alice@example.test"), MESSAGE)
                                .code())
                        .isEqualTo(250);
            }
            for (int i = 0; i < 5; i++) {
                assertThat(client.send("RCPT TO:<nobody" + i + "@example.test>").code())
                        .isNotEqualTo(421);
            }
        } finally {
            open.forEach(SmtpClient::close);
        }
    }

    @Test
    void aHarvesterIsCutOffBlockedAtConnectAcrossConnectionsAndFreedWhenTheBlockEnds() {
        try (SmtpClient first = SmtpClient.connect("127.0.0.8", server.smtpPort())) {
            first.send("EHLO harvester.test");
            first.send("MAIL FROM:<spam@harvester.test>");
            assertThat(first.send("RCPT TO:<aaron@example.test>").line()).startsWith("550 5.1.1");
            assertThat(first.send("RCPT TO:<abel@example.test>").line()).startsWith("550 5.1.1");
        }
        try (SmtpClient second = SmtpClient.connect("127.0.0.8", server.smtpPort())) {
            second.send("EHLO harvester.test");
            second.send("MAIL FROM:<spam@harvester.test>");
            assertThat(second.send("RCPT TO:<alice@example.test>").code())
                    .as("a known recipient")
                    .isEqualTo(250);
            assertThat(second.send("RCPT TO:<adam@example.test>").line())
                    .as("the third unknown")
                    .startsWith("550 5.1.1");

            SmtpClient.Reply fourth = second.send("RCPT TO:<agnes@example.test>");
            assertThat(fourth.line())
                    .isEqualTo("421 4.7.1 Too many unknown recipients from 127.0.0.8: directory harvest attack");
            assertThat(second.isClosedByServer()).isTrue();
        }
        try (SmtpClient again = SmtpClient.connect("127.0.0.8", server.smtpPort())) {
            assertThat(again.greeting().line())
                    .isEqualTo("421 4.7.1 Connections from 127.0.0.8 are blocked, try again later");
            assertThat(again.isClosedByServer()).isTrue();
        }
        try (SmtpClient other = SmtpClient.connect("127.0.0.9", server.smtpPort())) {
            assertThat(other.greeting().code()).isEqualTo(220);
        }
        assertThat(server.securityLog())
                .contains("SMTP connection from 127.0.0.8 rejected: directory harvest attack")
                .contains("Block of 127.0.0.8 started until");

        Awaitility.await("the 20 s block to end")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    try (SmtpClient later = SmtpClient.connect("127.0.0.8", server.smtpPort())) {
                        return later.greeting().code() == 220;
                    }
                });
        assertThat(server.securityLog()).contains("Block of 127.0.0.8 expired");
    }
}
