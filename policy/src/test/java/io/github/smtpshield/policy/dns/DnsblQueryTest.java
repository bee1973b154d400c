package io.github.smtpshield.policy.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class DnsblQueryTest {

    @Test
    void anIpv4AddressIsItsOctetsReversed() throws UnknownHostException {
        assertThat(DnsblQuery.of(InetAddress.getByName("192.0.2.99"), "bl.example"))
                .hasToString("99.2.0.192.bl.example.");
        assertThat(DnsblQuery.of(InetAddress.getByName("127.0.0.2"), "zen.example"))
                .as("the lists' test entry")
                .hasToString("2.0.0.127.zen.example.");
    }

    @Test
    void anIpv6AddressIsItsNibblesReversed() throws UnknownHostException {
        // RFC 5782 §2.4's example
        assertThat(DnsblQuery.of(InetAddress.getByName("2001:db8:1:2:3:4:567:89ab"), "ugly.example.com"))
                .hasToString("b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ugly.example.com.");
        assertThat(DnsblQuery.of(InetAddress.getByName("::1"), "bl.example").toString())
                .startsWith("1.0.0.0.0.0.0.0.")
                .endsWith(".0.0.0.0.bl.example.");
    }
}
