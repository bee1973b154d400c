package io.github.smtpshield.policy.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpPrefixRangeTest {

    @ParameterizedTest
    @CsvSource({
        "203.0.113.0/24, 203.0.113.0, true",
        "203.0.113.0/24, 203.0.113.255, true",
        "203.0.113.0/24, 203.0.112.255, false",
        "203.0.113.0/24, 203.0.114.0, false",
        "10.0.0.0/9, 10.127.255.255, true",
        "10.0.0.0/9, 10.128.0.0, false",
        "192.0.2.7, 192.0.2.7, true",
        "192.0.2.7, 192.0.2.8, false",
        "0.0.0.0/0, 255.255.255.255, true",
        "0.0.0.0/0, ::1, false",
        "2001:db8::/32, 2001:db8::, true",
        "2001:db8::/32, 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff, true",
        "2001:db8::/32, 2001:db9::, false",
        "2001:db8::/32, 2001:db7:ffff:ffff:ffff:ffff:ffff:ffff, false",
        "::1, ::1, true",
        "::/0, 2001:db8::1, true",
        "::/0, 192.0.2.1, false",
    })
    void containsAtTheEdges(String range, String address, boolean contained) throws Exception {
        assertThat(IpPrefix.parse(range).contains(InetAddress.getByName(address)))
                .isEqualTo(contained);
    }

    @Test
    void matchesAnIpv4MappedClientAsIpv4() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 203, 0, 113, 9};
        InetAddress client = Inet6Address.getByAddress(null, mapped, -1);

        assertThat(client).isInstanceOf(Inet6Address.class);
        assertThat(IpPrefix.parse("203.0.113.0/24").contains(client)).isTrue();
        assertThat(IpPrefix.parse("::/0").contains(client)).isFalse();
    }

    @Test
    void readsAnIpv4MappedRangeAsIpv4() throws Exception {
        IpPrefix range = IpPrefix.parse("::ffff:203.0.113.0/120");

        assertThat(range).hasToString("203.0.113.0/24");
        assertThat(range.contains(InetAddress.getByName("203.0.113.200"))).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "203.0.113.0/24, 203.0.113.0/24",
        "203.0.113.77/24, 203.0.113.0/24",
        "192.0.2.1, 192.0.2.1/32",
        "2001:DB8:0:0:0:0:0:0/32, 2001:db8::/32",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1/128",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1/128",
        "::, ::/128",
        "::1, ::1/128",
        "fe80::/10, fe80::/10",
    })
    void printsTheCanonicalForm(String text, String canonical) {
        assertThat(IpPrefix.parse(text).cidr()).isEqualTo(canonical);
    }

    @Test
    void equalRangesAreEqual() {
        assertThat(IpPrefix.parse("10.1.2.3/8"))
                .isEqualTo(IpPrefix.parse("10.0.0.0/8"))
                .hasSameHashCodeAs(IpPrefix.parse("10.0.0.0/8"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "10.0.0.256/8     | not an IP address or CIDR range: '10.0.0.256/8'",
                "10.0.0/8         | not an IP address or CIDR range: '10.0.0/8'",
                "010.0.0.1        | not an IP address or CIDR range: '010.0.0.1'",
                "localhost        | not an IP address or CIDR range: 'localhost'",
                "/8               | not an IP address or CIDR range: '/8'",
                "2001:db8::g/32   | not an IP address or CIDR range: '2001:db8::g/32'",
                "2001:db8:::1     | not an IP address or CIDR range: '2001:db8:::1'",
                "fe80::1%eth0     | not an IP address or CIDR range: 'fe80::1%eth0'",
                "10.0.0.0/33      | prefix length must be 0..32: '10.0.0.0/33'",
                "10.0.0.0/-1      | prefix length must be 0..32: '10.0.0.0/-1'",
                "10.0.0.0/        | prefix length must be 0..32: '10.0.0.0/'",
                "2001:db8::/129   | prefix length must be 0..128: '2001:db8::/129'",
                "2001:db8::/x     | prefix length must be 0..128: '2001:db8::/x'",
            })
    void refusesMalformedRanges(String text, String message) {
        assertThatThrownBy(() -> IpPrefix.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8, 10.1.0.0/16, true",
        "10.0.0.0/8, 10.0.0.0/8, true",
        "10.0.0.0/8, 10.255.255.255, true",
        "10.0.0.0/16, 10.0.0.0/8, false",
        "10.0.0.0/8, 11.0.0.0/16, false",
        "0.0.0.0/0, ::/0, false",
        "::/0, 0.0.0.0/0, false",
        "::/0, 10.0.0.1, false",
        "2001:db8::/32, 2001:db8:1::/48, true",
        "2001:db8::/48, 2001:db8::/32, false",
    })
    void containsANetworkOfItsOwnFamilyOnly(String network, String other, boolean contained) {
        assertThat(IpPrefix.parse(network).contains(IpPrefix.parse(other))).isEqualTo(contained);
    }

    @Test
    void readsAnIpv4MappedNetworkByItsIpv6PrefixLength() {
        assertThat(IpPrefix.parse("::ffff:10.0.0.0/104")).isEqualTo(IpPrefix.parse("10.0.0.0/8"));
        assertThat(IpPrefix.parse("::ffff:0:0/80").ipv4()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"192.0.2.1, 192.0.2.1/32", "2001:db8::1, 2001:db8::1/128", "192.0.2.0/24, 192.0.2.0/24"})
    void cidrAlwaysShowsThePrefixLengthAndToStringNotForAHost(String text, String cidr) {
        IpPrefix prefix = IpPrefix.parse(text);

        assertThat(prefix.cidr()).isEqualTo(cidr);
        assertThat(prefix).hasToString(text);
    }

    @ParameterizedTest
    @CsvSource({"localhost", "example.com", "1.2.3", "01.2.3.4", "256.1.1.1", "[::1]", "::1%eth0", "''"})
    void anAddressIsReadAsALiteralOrNotAtAll(String text) {
        assertThat(IpPrefix.address(text)).isEmpty();
    }

    @Test
    void anAddressLiteralIsReadWithoutDns() throws Exception {
        assertThat(IpPrefix.address("192.0.2.1")).contains(InetAddress.getByName("192.0.2.1"));
        assertThat(IpPrefix.address("2001:db8::1")).contains(InetAddress.getByName("2001:db8::1"));
        assertThat(IpPrefix.host(InetAddress.getByName("2001:db8::1"))).hasToString("2001:db8::1");
    }
}
