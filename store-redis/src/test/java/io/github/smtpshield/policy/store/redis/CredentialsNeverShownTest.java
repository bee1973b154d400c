package io.github.smtpshield.policy.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.store.Admission;
import io.github.smtpshield.policy.store.StoreUnavailableException;
import io.github.smtpshield.testing.FreePorts;
import io.github.smtpshield.testing.LoopbackRedisServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No exception and no log line of the store shows the password of its URI: not for a URI Lettuce cannot read (its own
 * exceptions echo the URI, or a piece of it), not for a Redis that refuses the password or cannot be reached. Log lines
 * are read off stderr, where slf4j-simple writes them.
 */
class CredentialsNeverShownTest {
    /** Every password below holds it; a leak of any piece of one shows as one of these. */
    static final String[] PIECES = {"S3cr3t", "S3", "cr3t"};

    static final IpPrefix CLIENT = IpPrefix.parse("203.0.113.5");

    static LoopbackRedisServer redis;

    final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    PrintStream stderr;

    @BeforeAll
    static void startRedisWithAPassword() {
        redis = LoopbackRedisServer.start();
        redis.call("CONFIG", "SET", "requirepass", "S3cr3t-right");
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void captureTheLog() {
        stderr = System.err;
        System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(stderr);
        stderr.print(log());
    }

    String log() {
        return logged.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "redis://:S3cr3t%zz@127.0.0.1:6379",
                "redis://:pa/S3cr3t@127.0.0.1:6379",
                "redis://:S3 cr3t@127.0.0.1:6379",
                "redis://:S3cr3t@[::1:6379",
                "redis://:S3cr3t@127.0.0.1:6379/xx",
                "redis-sentinel://:S3cr3t@127.0.0.1:1/0",
                "redis-socket://:S3cr3t@"
            })
    void aUriLettuceCannotReadIsRefusedWithoutItsPassword(String uri) {
        assertRefusedWithoutPassword(uri, false);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "redis://:S3cr3t%zz@127.0.0.1:7000,127.0.0.1:7001",
                "redis://:pa/S3cr3t@127.0.0.1:7000,127.0.0.1:7001",
                "redis://:S3cr3t@127.0.0.1:7000,127.0.0.1:x",
                "redis://:S3 cr3t@127.0.0.1:7000"
            })
    void aClusterUriLettuceCannotReadIsRefusedWithoutItsPassword(String uri) {
        assertRefusedWithoutPassword(uri, true);
    }

    @Test
    void aWrongPasswordIsNeverShown() {
        RedisClientStore.Builder builder = RedisClientStore.builder("redis://:S3cr3t-wrong@127.0.0.1:" + redis.port())
                .timeout(Duration.ofMillis(500));
        try (RedisClientStore store = builder.build()) {
            assertThatThrownBy(() -> store.tryConnect(CLIENT, 10))
                    .isInstanceOf(StoreUnavailableException.class)
                    .satisfies(e -> assertNoPiece(messages(e)));
        }
        assertThat(log()).contains("is not reachable yet").contains("redis://***@127.0.0.1:" + redis.port());
        assertNoPiece(log());
    }

    @Test
    void theRightPasswordConnectsAndIsNeverShown() {
        try (RedisClientStore store = RedisClientStore.builder("redis://:S3cr3t-right@127.0.0.1:" + redis.port())
                .build()) {
            assertThat(store.tryConnect(CLIENT, 10)).isEqualTo(Admission.ADMITTED);
        }
        assertThat(log()).contains("per-IP store in Redis at redis://***@127.0.0.1:" + redis.port());
        assertNoPiece(log());
    }

    @Test
    void aRedisOutOfReachIsNamedWithoutThePassword() {
        // The second one Lettuce reads as the host "127.0.0.1:notaport", which it fails to resolve.
        for (String uri : new String[] {
            "redis://user:S3cr3t@127.0.0.1:" + FreePorts.take() + "/0", "redis://:S3cr3t@127.0.0.1:notaport"
        }) {
            try (RedisClientStore store = RedisClientStore.builder(uri)
                    .timeout(Duration.ofMillis(300))
                    .build()) {
                Awaitility.await("the background connect to fail")
                        .atMost(Duration.ofSeconds(10))
                        .untilAsserted(() -> assertThatThrownBy(() -> store.takeMessage(CLIENT, 10, false))
                                .isInstanceOf(StoreUnavailableException.class)
                                .hasMessageContaining("Redis at redis://***@127.0.0.1:")
                                .satisfies(e -> assertNoPiece(messages(e))));
            }
        }
        assertThat(log()).contains("is not reachable yet");
        assertNoPiece(log());
    }

    private void assertRefusedWithoutPassword(String uri, boolean cluster) {
        assertThatThrownBy(() -> RedisClientStore.builder(uri).cluster(cluster).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a Redis URI Lettuce can read")
                .hasNoCause()
                .satisfies(e -> assertNoPiece(e.getMessage()));
        assertNoPiece(log());
    }

    /** The messages of {@code e} and of its causes: what a stack trace in a log would show. */
    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            all.append(cause).append('\n');
        }
        return all.toString();
    }

    private static void assertNoPiece(String text) {
        for (String piece : PIECES) {
            assertThat(text).doesNotContain(piece);
        }
    }
}
