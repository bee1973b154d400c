package io.github.smtpshield.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientAddressesTest {

    @Test
    void threeInFourAreIpv4FromTenDotZeroAndOneInFourIpv6InTheDocumentationPrefix() {
        assertThat(ClientAddresses.mixed(0).getHostAddress()).isEqualTo("10.0.0.0");
        assertThat(ClientAddresses.mixed(258).getHostAddress()).isEqualTo("10.0.1.2");
        assertThat(ClientAddresses.mixed(3)).isInstanceOf(Inet6Address.class);
        assertThat(ClientAddresses.mixed(3).getHostAddress()).isEqualTo("2001:db8:0:3:0:0:0:3");
        assertThat(ClientAddresses.mixed(7)).isInstanceOf(Inet6Address.class);
        assertThat(ClientAddresses.mixed(6)).isInstanceOf(Inet4Address.class);
    }

    @Test
    void theSameIndexGivesTheSameAddress() {
        assertThat(ClientAddresses.mixed(123_457)).isEqualTo(ClientAddresses.mixed(123_457));
    }

    @Test
    void everyIpv4AddressAndEveryIpv6SlashSixtyFourIsDistinct() {
        Set<String> networks = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            InetAddress address = ClientAddresses.mixed(i);
            byte[] bytes = address.getAddress();
            byte[] network = bytes.length == 4 ? bytes : Arrays.copyOf(bytes, 8);
            assertThat(networks.add(Arrays.toString(network)))
                    .as("address %d, %s", i, address)
                    .isTrue();
        }
    }
}
