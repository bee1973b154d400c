package io.github.smtpshield.policy.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpPrefixTest {

    @Test
    void ipv4IsCountedPerAddressByDefault() throws Exception {
        IpPrefix key = IpPrefix.clientKey(InetAddress.getByName("203.0.113.5"));

        assertThat(key.ipv4()).isTrue();
        assertThat(key.prefixLength()).isEqualTo(32);
        assertThat(key).hasToString("203.0.113.5");
        assertThat(key).isNotEqualTo(IpPrefix.clientKey(InetAddress.getByName("203.0.113.6")));
    }

    @Test
    void ipv4PrefixGroupsANetwork() throws Exception {
        IpPrefix one = IpPrefix.clientKey(InetAddress.getByName("198.51.100.7"), 24, 64);
        IpPrefix other = IpPrefix.clientKey(InetAddress.getByName("198.51.100.250"), 24, 64);

        assertThat(one).isEqualTo(other).hasToString("198.51.100.0/24");
        assertThat(one.prefixLength()).isEqualTo(24);
    }

    @Test
    void ipv6IsCountedPerSlash64ByDefault() throws Exception {
        IpPrefix one = IpPrefix.clientKey(InetAddress.getByName("2001:db8:1:2::5"));
        IpPrefix sameNetwork = IpPrefix.clientKey(InetAddress.getByName("2001:db8:1:2:ffff:ffff:ffff:ffff"));
        IpPrefix nextNetwork = IpPrefix.clientKey(InetAddress.getByName("2001:db8:1:3::5"));

        assertThat(one).isEqualTo(sameNetwork).isNotEqualTo(nextNetwork);
        assertThat(one.ipv4()).isFalse();
        assertThat(one).hasToString("2001:db8:1:2::/64");
    }

    @Test
    void ipv6PrefixIsConfigurable() throws Exception {
        assertThat(IpPrefix.clientKey(InetAddress.getByName("2001:db8:1:2::5"), 32, 48))
                .hasToString("2001:db8:1::/48");
        assertThat(IpPrefix.clientKey(InetAddress.getByName("2001:db8::5"), 32, 128))
                .hasToString("2001:db8::5");
    }

    @Test
    void ipv4MappedIpv6IsTheIpv4Client() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 203, 0, 113, 5};
        InetAddress address = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(address).isInstanceOf(Inet6Address.class);

        IpPrefix key = IpPrefix.clientKey(address, 32, 64);

        assertThat(key).isEqualTo(IpPrefix.clientKey(InetAddress.getByName("203.0.113.5"), 32, 64));
        assertThat(key.ipv4()).isTrue();
        assertThat(key).hasToString("203.0.113.5");
        assertThat(IpPrefix.clientKey(address, 24, 64)).hasToString("203.0.113.0/24");
    }

    @Test
    void ipv4CompatibleAndOtherLowAddressesStayIpv6() throws Exception {
        IpPrefix key = IpPrefix.clientKey(InetAddress.getByName("::203.0.113.5"), 32, 128);

        assertThat(key.ipv4()).isFalse();
        assertThat(key).hasToString("::cb00:7105");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "203.0.113.5",
                "0.0.0.0",
                "255.255.255.255",
                "198.51.100.0/24",
                "0.0.0.0/0",
                "2001:db8::1",
                "2001:db8:1:2::/64",
                "::",
                "::1",
                "::/0",
                "1::",
                "2001:db8:0:1:1:1:1:1",
                "2001:0:0:1::1",
                "2001:db8::1:0:0:1",
                "fe80::/10"
            })
    void toStringAndParseRoundTrip(String text) {
        assertThat(IpPrefix.parse(text)).hasToString(text);
    }

    @Test
    void toStringFollowsRfc5952() {
        assertThat(IpPrefix.parse("2001:0DB8:0000:0000:0000:0000:0000:0001")).hasToString("2001:db8::1");
        assertThat(IpPrefix.parse("2001:db8:0:0:1:0:0:1")).hasToString("2001:db8::1:0:0:1");
        assertThat(IpPrefix.parse("2001:db8:0:1:0:0:0:1")).hasToString("2001:db8:0:1::1");
    }

    @Test
    void parseClearsHostBitsOfACidr() {
        assertThat(IpPrefix.parse("203.0.113.77/24")).hasToString("203.0.113.0/24");
        assertThat(IpPrefix.parse("2001:db8:1:2::5/64")).hasToString("2001:db8:1:2::/64");
    }

    @Test
    void parseOfAnIpv4MappedLiteralIsTheIpv4Client() {
        assertThat(IpPrefix.parse("::ffff:203.0.113.5")).isEqualTo(IpPrefix.parse("203.0.113.5"));
    }

    @Test
    void parseWithGroupingFindsTheCountedKey() throws Exception {
        IpPrefix counted = IpPrefix.clientKey(InetAddress.getByName("2001:db8:1:2::5"), 32, 64);

        assertThat(IpPrefix.parse("2001:db8:1:2::99", 32, 64)).isEqualTo(counted);
        assertThat(IpPrefix.parse("2001:db8:1:2::/64", 32, 64)).isEqualTo(counted);
        assertThat(IpPrefix.parse("2001:db8:1:2::5/128", 32, 64)).isEqualTo(counted);
        assertThat(IpPrefix.parse("203.0.113.5", 24, 64)).hasToString("203.0.113.0/24");
        assertThatThrownBy(() -> IpPrefix.parse("2001:db8::/48", 32, 64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2001:db8::/48")
                .hasMessageContaining("/64");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "junk",
                "localhost",
                "example.com",
                "1.2.3",
                "1.2.3.4.5",
                "256.1.1.1",
                "01.2.3.4",
                "1.2.3.4/33",
                "1.2.3.4/",
                "1.2.3.4/-1",
                "1.2.3.4/x",
                "2001:db8::/129",
                "2001:db8:::1",
                "::1%eth0",
                "[::1]",
                "1.2.3.4:25",
                " 1.2.3.4",
                "1.2.3.4/24/8",
                "12345::"
            })
    void parseRefusesJunkWithAClearMessage(String junk) {
        assertThatThrownBy(() -> IpPrefix.parse(junk))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + junk + "'");
    }

    @Test
    void prefixesOutOfRangeAreRefused() throws Exception {
        InetAddress address = InetAddress.getByName("203.0.113.5");

        assertThatThrownBy(() -> IpPrefix.clientKey(address, 33, 64)).hasMessageContaining("IPv4 prefix length 33");
        assertThatThrownBy(() -> IpPrefix.clientKey(address, 32, 129)).hasMessageContaining("IPv6 prefix length 129");
        assertThatThrownBy(() -> new IpPrefix(0, 1, 64)).hasMessageContaining("host bits");
    }
}
