package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Behind a load balancer that speaks the PROXY protocol, the per-IP rules count the client the header reports, not
 * the balancer (here 127.0.0.1, the one trusted proxy, which is even exempt); a peer that is not a trusted proxy is
 * refused before it can claim any address.
 */
class ProxyProtocolIT {
    private static final String PROXY_REQUIRED =
            "<connectionBacklog>200</connectionBacklog>\n        <proxyRequired>true</proxyRequired>";

    private static ShieldServer server;

    @BeforeAll
    static void start() {
        server = proxyListener(TestPolicy.trustOnlyLocalhost(ShieldServer.prepare()))
                .writeConf(
                        "smtpshield.xml",
                        TestPolicy.withTrustedProxies(
                                TestPolicy.perIp("<maxConcurrentConnections>1</maxConcurrentConnections>"),
                                "127.0.0.1/32"))
                .start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static ShieldServer proxyListener(ShieldServer server) {
        return server.editConf(
                "smtpserver.xml",
                xml -> xml.replaceFirst("<connectionBacklog>200</connectionBacklog>", PROXY_REQUIRED));
    }

    @Test
    void clientsAreCountedUnderTheAddressInTheProxyHeader() {
        try (SmtpClient first = SmtpClient.connect("127.0.0.1", server.smtpPort());
                SmtpClient second = SmtpClient.connect("127.0.0.1", server.smtpPort());
                SmtpClient third = SmtpClient.connect("127.0.0.1", server.smtpPort())) {
            first.write(proxyHeader("203.0.113.9"));
            assertThat(first.send("EHLO first.test").code()).isEqualTo(250);

            second.write(proxyHeader("203.0.113.9"));
            SmtpClient.Reply refused = second.send("EHLO second.test");
            assertThat(refused.line()).isEqualTo("421 4.7.0 Too many connections from 203.0.113.9");
            assertThat(second.isClosedByServer()).isTrue();

            third.write(proxyHeader("203.0.113.10"));
            assertThat(third.send("EHLO third.test").code())
                    .as("another client behind the same balancer")
                    .isEqualTo(250);
        }
        assertThat(server.securityLog())
                .contains("SMTP connection from 203.0.113.9 rejected: too many concurrent connections (limit 1)");
    }

    /** A connection that sent its PROXY header and nothing else holds a slot of the client it names, at once. */
    @Test
    void aConnectionCountsAgainstTheRealClientAsSoonAsItsHeaderIsRead() {
        try (SmtpClient idle = SmtpClient.connect("127.0.0.1", server.smtpPort());
                SmtpClient next = SmtpClient.connect("127.0.0.1", server.smtpPort())) {
            idle.write(proxyHeader("203.0.113.20"));
            Awaitility.await("the header-only connection counted against 203.0.113.20")
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> server.webAdmin()
                            .get("/smtpshield/counters/203.0.113.20")
                            .body()
                            .contains("\"connections\":1"));
            next.write(proxyHeader("203.0.113.20"));
            // No command sent: the refusal answers the header itself.
            assertThat(next.readReply().line()).isEqualTo("421 4.7.0 Too many connections from 203.0.113.20");
            assertThat(next.isClosedByServer()).isTrue();
        }
    }

    /**
     * The spoofing attack: a client that connects directly and claims to be 127.0.0.1 (which may relay, and is exempt)
     * is refused at connect, before its header is read (so it claims nothing), and the log names the real peer.
     */
    @Test
    void aPeerThatIsNotATrustedProxyIsRefusedBeforeItsHeaderIsRead() {
        try (SmtpClient spoofer = SmtpClient.connect("127.0.0.2", server.smtpPort())) {
            assertThat(spoofer.greeting().line()).startsWith("421 4.7.0 ").contains("127.0.0.2");
            assertThat(spoofer.isClosedByServer()).isTrue();
        }
        assertThat(server.securityLog())
                .contains(
                        "SMTP connection from 127.0.0.2 rejected: PROXY protocol from a peer not in <trustedProxies>");
    }

    /** A PROXY listener without trusted proxies trusts anyone: the audit fails it and the server does not start. */
    @Test
    void aProxyListenerWithoutTrustedProxiesStopsStartUp() {
        try (ShieldServer unsafe = proxyListener(ShieldServer.prepare())) {
            unsafe.writeConf("smtpshield.xml", TestPolicy.perIp(""));

            ShieldServer.CommandResult audit = unsafe.runLauncher("audit");
            assertThat(audit.output())
                    .contains("FAIL PROXY protocol from untrusted peers: smtpserver-global trusts the PROXY header of"
                            + " any peer");
            assertThat(audit.exitStatus()).isEqualTo(1);

            assertThat(unsafe.startExpectingFailure()).isNotZero();
            assertThat(unsafe.output())
                    .contains(
                            "[ERROR] smtpshield - SMTP Shield refuses to start: smtpserver.xml: <smtpserver> 'smtpserver-global' ("
                                    + "0.0.0.0:" + unsafe.smtpPort() + ") has <proxyRequired>true</proxyRequired> but"
                                    + " smtpshield.xml lists no <trustedProxies>");
        }
    }

    private static String proxyHeader(String source) {
        return "PROXY TCP4 " + source + " 127.0.0.1 40000 25\r\n";
    }
}
