package io.github.smtpshield.policy.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NetworkSetTest {

    @Test
    void readsCommaAndWhitespaceSeparatedRanges() {
        NetworkSet set = NetworkSet.parse(" 127.0.0.0/8,::1/128\n\t192.0.2.1 ,, 2001:db8::/32 ");

        assertThat(set.ranges())
                .containsExactly(
                        IpPrefix.parse("127.0.0.0/8"),
                        IpPrefix.parse("::1"),
                        IpPrefix.parse("192.0.2.1"),
                        IpPrefix.parse("2001:db8::/32"));
        assertThat(set).hasToString("127.0.0.0/8, ::1/128, 192.0.2.1/32, 2001:db8::/32");
    }

    @Test
    void blankTextIsTheEmptySet() {
        assertThat(NetworkSet.parse("  ")).isEqualTo(NetworkSet.empty());
        assertThat(NetworkSet.empty().ranges()).isEmpty();
        assertThat(NetworkSet.empty().coversEverything()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, true",
        "127.255.255.255, true",
        "128.0.0.0, false",
        "::1, true",
        "::2, false",
        "::ffff:127.0.0.1, true",
    })
    void containsAnyOfItsRanges(String address, boolean contained) throws Exception {
        NetworkSet set = NetworkSet.parse("127.0.0.0/8, ::1/128");

        assertThat(set.contains(InetAddress.getByName(address))).isEqualTo(contained);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "0.0.0.0/0                              | true  | false",
                "::/0                                   | false | true",
                "0.0.0.0/1, 128.0.0.0/1                 | true  | false",
                "128.0.0.0/1, 0.0.0.0/1                 | true  | false",
                "0.0.0.0/1                              | false | false",
                "0.0.0.0/1, 128.0.0.0/2, 192.0.0.0/2    | true  | false",
                "0.0.0.0/1, 128.0.0.0/2, 192.0.0.0/3    | false | false",
                "0.0.0.0/2, 0.0.0.0/1, 128.0.0.0/1      | true  | false",
                "0.0.0.0/1, 127.0.0.0/8, 128.0.0.0/1    | true  | false",
                "127.0.0.0/8                            | false | false",
                "0.0.0.0                                | false | false",
                "::/1, 8000::/1                         | false | true",
                "::/1, 0.0.0.0/1, 128.0.0.0/1           | true  | false",
                "::ffff:0.0.0.0/96                      | true  | false",
            })
    void computesCoverageFromTheUnion(String list, boolean allIpv4, boolean allIpv6) {
        NetworkSet set = NetworkSet.parse(list);

        assertThat(set.coversAllIpv4()).isEqualTo(allIpv4);
        assertThat(set.coversAllIpv6()).isEqualTo(allIpv6);
        assertThat(set.coversEverything()).isEqualTo(allIpv4 || allIpv6);
    }

    @Test
    void ofKeepsTheGivenRanges() {
        List<IpPrefix> ranges = List.of(IpPrefix.parse("0.0.0.0/1"), IpPrefix.parse("128.0.0.0/1"));

        assertThat(NetworkSet.of(ranges).ranges()).isEqualTo(ranges);
        assertThat(NetworkSet.of(ranges).coversEverything()).isTrue();
    }

    @Test
    void refusesTheFirstMalformedRange() {
        assertThatThrownBy(() -> NetworkSet.parse("127.0.0.0/8, 10.0.0.0/33, nonsense"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prefix length must be 0..32: '10.0.0.0/33'");
    }
}
