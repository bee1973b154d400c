package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Behind a load balancer that speaks the PROXY protocol, the per-IP rules count the client the header reports,
 * not the balancer (here 127.0.0.1, which is even exempt).
 */
class ProxyProtocolIT {

    @Test
    void clientsAreCountedUnderTheAddressInTheProxyHeader() {
        try (ShieldServer server = TestPolicy.trustOnlyLocalhost(ShieldServer.prepare())) {
            server.writeConf(
                            "smtpshield.xml",
                            TestPolicy.perIp("<maxConcurrentConnections>1</maxConcurrentConnections>"))
                    .editConf(
                            "smtpserver.xml",
                            xml -> xml.replaceFirst(
                                    "<connectionBacklog>200</connectionBacklog>",
                                    "<connectionBacklog>200</connectionBacklog>\n        <proxyRequired>true</proxyRequired>"))
                    .start();

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
    }

    private static String proxyHeader(String source) {
        return "PROXY TCP4 " + source + " 127.0.0.1 40000 25\r\n";
    }
}
