package io.github.smtpshield.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void aPortIsBelowTheEphemeralRangeAndCanBeBound() throws IOException {
        int port = FreePorts.take();

        assertThat(port).isBetween(20_000, 31_999);
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void noPortIsHandedOutTwice() {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ports.add(FreePorts.take());
        }

        assertThat(ports).doesNotHaveDuplicates();
    }

    @Test
    void aPortWithACompanionHasBothFreeAndBelowTheEphemeralRange() throws IOException {
        int port = FreePorts.take(10_000);

        assertThat(port + 10_000).isLessThan(32_000);
        try (ServerSocket node = new ServerSocket();
                ServerSocket bus = new ServerSocket()) {
            node.bind(new InetSocketAddress("127.0.0.1", port));
            bus.bind(new InetSocketAddress("127.0.0.1", port + 10_000));
        }
    }

    @Test
    void aCompanionPortIsNotHandedOutAgainEither() {
        int port = FreePorts.take(10_000);
        List<Integer> later = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            later.add(FreePorts.take());
        }

        assertThat(later).doesNotContain(port, port + 10_000);
    }
}
