package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Outbound TLS (Kerio: "use SSL/TLS if supported by the remote SMTP server"), against real SMTP servers on loopback
 * ({@link RemoteSmtpServer}). The shipped RemoteDelivery (opportunistic STARTTLS) sends to one that offers STARTTLS
 * with a self-signed certificate; the require-TLS recipe of the shipped mailetcontainer.xml, turned on as its comment
 * says for the domain secure.test, sends to one that offers no STARTTLS. Each RemoteDelivery reaches its server
 * through its {@code gateway}/{@code gatewayPort} parameters (no DNS involved).
 */
class OutboundTlsIT {
    private static final String PASSWORD = "secret";

    private static RemoteSmtpServer startTlsServer;
    private static RemoteSmtpServer plainServer;
    private static ShieldServer server;

    @BeforeAll
    static void start() {
        startTlsServer = RemoteSmtpServer.withStartTls();
        plainServer = RemoteSmtpServer.withoutStartTls();
        server = ShieldServer.prepare()
                .editConf("mailetcontainer.xml", OutboundTlsIT::routeToTestServers)
                .start();
        server.webAdmin().createUser("example.test", "alice@example.test", PASSWORD);
        server.webAdmin().addUser("bob@example.test", PASSWORD);
    }

    /** Turns the require-TLS recipe on for secure.test, quick to give up; each RemoteDelivery gets its test server. */
    private static String routeToTestServers(String xml) {
        int begin = xml.indexOf("<!-- BEGIN require-TLS recipe");
        int end = xml.indexOf("END require-TLS recipe -->");
        assertThat(begin).as("the recipe in the shipped mailetcontainer.xml").isPositive();
        String recipe = xml.substring(xml.indexOf('\n', begin) + 1, xml.lastIndexOf('\n', end) + 1)
                .replace("HostIs=bank.example, partner.example", "HostIs=secure.test")
                .replace(
                        "<outgoing>outgoing-tls-required</outgoing>",
                        "<outgoing>outgoing-tls-required</outgoing>\n" + "<gateway>127.0.0.1</gateway><gatewayPort>"
                                + plainServer.port() + "</gatewayPort>")
                .replace("<delayTime>5000, 100000, 500000</delayTime>", "<delayTime>1000</delayTime>")
                .replace("<maxRetries>3</maxRetries>", "<maxRetries>1</maxRetries>");
        String rest = xml.substring(xml.indexOf('\n', end) + 1)
                .replace(
                        "<outgoing>outgoing</outgoing>",
                        "<outgoing>outgoing</outgoing>\n" + "<gateway>127.0.0.1</gateway><gatewayPort>"
                                + startTlsServer.port() + "</gatewayPort>");
        return xml.substring(0, xml.lastIndexOf('\n', begin) + 1) + recipe + rest;
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        for (RemoteSmtpServer remote : new RemoteSmtpServer[] {startTlsServer, plainServer}) {
            if (remote != null) {
                remote.close();
            }
        }
    }

    @Test
    void theShippedRemoteDeliveryUsesStartTlsWhenTheRemoteOffersIt() {
        assertThat(Submission.send(
                                server,
                                "alice@example.test",
                                PASSWORD,
                                List.of("user@remote.test"),
                                "Subject: over TLS\r\n\r\nEncrypted on the way out.")
                        .code())
                .isEqualTo(250);

        Awaitility.await("the message at the STARTTLS server")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> !startTlsServer.messages().isEmpty());
        RemoteSmtpServer.Message message = startTlsServer.messages().get(0);
        assertThat(message.content()).contains("Subject: over TLS");
        assertThat(message.tls()).as("DATA over TLS").isTrue();
        assertThat(startTlsServer.commands())
                .filteredOn(command -> List.of("MAIL", "RCPT").contains(command.name()))
                .isNotEmpty()
                .allSatisfy(command ->
                        assertThat(command.tls()).as(command.toString()).isTrue());
        assertThat(startTlsServer.messages())
                .allSatisfy(received ->
                        assertThat(received.tls()).as("DATA over TLS").isTrue());
        // The session started in clear and was upgraded: EHLO, STARTTLS, EHLO again.
        assertThat(startTlsServer.commands("EHLO"))
                .extracting(RemoteSmtpServer.Command::tls)
                .containsSubsequence(false, true);
    }

    @Test
    void withTheRequireTlsRecipeNothingIsSentInClearAndTheMailBouncesAfterItsRetries() {
        assertThat(Submission.send(
                                server,
                                "bob@example.test",
                                PASSWORD,
                                List.of("carol@secure.test"),
                                "Subject: secret figures\r\n\r\nNever in clear.")
                        .code())
                .isEqualTo(250);

        // Two attempts (maxRetries 1), then the DSN to the sender.
        Inbox inbox = Inbox.of(server, "bob@example.test", PASSWORD);
        inbox.awaitSize(1, Duration.ofSeconds(90));
        inbox.awaitMessage(
                1, text -> assertThat(text).contains("carol@secure.test").contains("Subject: secret figures"));
        assertThat(plainServer.commands("EHLO")).as("James connected and asked").hasSizeGreaterThanOrEqualTo(2);
        assertThat(plainServer.commands("MAIL")).as("no envelope sent in clear").isEmpty();
        assertThat(plainServer.commands("RCPT")).isEmpty();
        assertThat(plainServer.messages()).as("no message sent in clear").isEmpty();
        assertThat(startTlsServer.commands("RCPT"))
                .extracting(RemoteSmtpServer.Command::argument)
                .doesNotContain("carol@secure.test");
    }
}
