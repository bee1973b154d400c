package io.github.smtpshield.policy.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.smtpshield.policy.store.Admission;
import io.github.smtpshield.policy.store.StoreUnavailableException;
import io.github.smtpshield.testing.LoopbackRedisServer;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared-store tests on one redis-server. */
class SharedStoreOnRedisTest extends SharedStoreContract {
    @RegisterExtension
    static final LoopbackRedisExtension<LoopbackRedisServer> REDIS = LoopbackRedisExtension.server();

    @Override
    LoopbackRedisServer redis() {
        return REDIS.redis();
    }

    /**
     * Decisions run on James's I/O threads: a Redis that stops answering may hold one of them for one timeout only.
     * The connection counts that could not be given back meanwhile are given back when Redis answers again.
     */
    @Test
    void aSlowRedisCostsOneTimeoutThenDecisionsFailAtOnceUntilItAnswersInTimeAgain() {
        RedisClientStore store = node(store().timeout(Duration.ofMillis(300)));
        assertThat(store.tryConnect(CLIENT, 100)).isEqualTo(Admission.ADMITTED);

        redis().call("CLIENT", "PAUSE", "3000", "ALL"); // every client's commands wait 3 s, as behind a stalled Redis

        long first = System.nanoTime();
        assertThatThrownBy(() -> store.tryConnect(CLIENT, 100)).isInstanceOf(StoreUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - first))
                .as("the decision that met the stall")
                .isBetween(Duration.ofMillis(250), Duration.ofSeconds(2));
        long next = System.nanoTime();
        store.disconnect(CLIENT); // sent without waiting: while Redis is slow it is kept to give back later
        for (int i = 0; i < 50; i++) {
            assertThatThrownBy(() -> store.takeMessage(CLIENT, 10, false))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("slower than PT0.3S");
        }
        // 51 waits of the timeout would take 15 s.
        assertThat(Duration.ofNanos(System.nanoTime() - next))
                .as("51 decisions while Redis is slow")
                .isLessThan(Duration.ofSeconds(3));

        Awaitility.await("decisions through Redis again")
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(StoreUnavailableException.class)
                .until(() -> store.takeMessage(CLIENT, 10, false).isPresent());
        // The connection that disconnected during the stall, and the one the timed-out connect added late.
        Awaitility.await("the counts of the stall given back")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> connections(store) == 0);
    }
}
