package io.github.smtpshield.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The three-node cluster the Redis store's tests run on: it forms, routes by slot, restarts, and leaves nothing running. */
class LoopbackRedisClusterTest {

    @Test
    void threeMastersServeEverySlotAndStopWithTheCluster() {
        List<Integer> ports;
        try (LoopbackRedisCluster redis = LoopbackRedisCluster.start()) {
            ports = redis.ports();
            assertThat(ports).hasSize(3).doesNotHaveDuplicates();
            assertThat(redis.uri())
                    .isEqualTo("redis://127.0.0.1:%d,127.0.0.1:%d,127.0.0.1:%d"
                            .formatted(ports.get(0), ports.get(1), ports.get(2)));
            assertThat(redis.isRunning()).isTrue();

            // Keys of one hash tag live on one node: the others answer MOVED.
            int served = 0;
            for (LoopbackRedisServer node : redis.nodes()) {
                try {
                    node.call("SET", "{client}:a", "1");
                    served++;
                } catch (IllegalStateException moved) {
                    assertThat(moved).hasMessageContaining("MOVED");
                }
            }
            assertThat(served).isEqualTo(1);
            assertThat(redis.nodeOf("{client}:b").call("EXISTS", "{client}:a"))
                    .as("same hash tag, same node")
                    .isEqualTo(1L);
            assertThat(redis.keyCount()).isEqualTo(1);
            assertThat(redis.keyTtls()).containsEntry("{client}:a", -1L);

            redis.stop();
            assertThat(redis.isRunning()).isFalse();
            assertThat(ports).noneMatch(LoopbackRedisClusterTest::listening);

            redis.restart();
            assertThat(redis.keyCount()).as("no persistence").isZero();
        }
        assertThat(ports).noneMatch(LoopbackRedisClusterTest::listening);
    }

    @Test
    void aFailedCallNamesTheNode() {
        try (LoopbackRedisServer redis = LoopbackRedisServer.start()) {
            assertThatThrownBy(() -> redis.call("NOSUCHCOMMAND")).hasMessageContaining("port " + redis.port());
            assertThat(redis.call("ECHO", "a b")).isEqualTo("a b");
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
