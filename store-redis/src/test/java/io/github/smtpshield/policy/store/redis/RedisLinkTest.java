package io.github.smtpshield.policy.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.smtpshield.policy.config.RedisUri;
import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.store.StoreUnavailableException;
import io.github.smtpshield.testing.LoopbackRedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The link on its own, against a real redis-server: decisions, the background connect, the slow-Redis breaker. */
class RedisLinkTest {
    @RegisterExtension
    static final LoopbackRedisExtension<LoopbackRedisServer> REDIS = LoopbackRedisExtension.server();

    /** Counts nothing and answers 1 for a key without state: a harmless decision (a script of the tests). */
    static final Script<Long> BUDGET = Script.answeringANumber("budget");

    static final String[] KEYS = {Keys.state(IpPrefix.parse("203.0.113.5"))};

    final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor();
    final AtomicInteger inTimeAgain = new AtomicInteger();
    RedisLink link;

    @BeforeEach
    void freshRedis() {
        if (!REDIS.redis().isRunning()) {
            REDIS.redis().restart();
        }
        REDIS.redis().flushAll();
    }

    @AfterEach
    void close() {
        background.shutdownNow();
        if (link != null) {
            link.close();
        }
    }

    RedisLink link(Duration timeout) {
        Topology topology = Topology.of(RedisUri.of(REDIS.redis().uri()), false, timeout);
        link = new RedisLink(topology, timeout, background, inTimeAgain::incrementAndGet, List.of());
        return link;
    }

    long decide() {
        return link.decide(BUDGET, KEYS, "1000", "3600000", "18000");
    }

    @Test
    void aDecisionIsOneScriptAnsweredOnTheCallersThread() {
        link(Duration.ofSeconds(1)).connectNow();

        assertThat(decide()).isEqualTo(1);
        assertThat(link.connected()).isTrue();
    }

    @Test
    void withoutAConnectionDecisionsFailAtOnceWhileTheLinkConnectsInTheBackground() {
        REDIS.redis().stop();
        link(Duration.ofMillis(500));
        assertThatThrownBy(link::connectNow)
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("cannot connect to Redis at redis://127.0.0.1:");

        long start = System.nanoTime();
        assertThatThrownBy(this::decide)
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageEndingWith("(connecting in the background)");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(400));

        REDIS.redis().restart();

        Awaitility.await("the background connect")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(StoreUnavailableException.class)
                .until(() -> decide() == 1);
    }

    @Test
    void aStallCostsOneTimeoutThenDecisionsFailAtOnceUntilAProbeIsAnsweredInTime() {
        link(Duration.ofMillis(300)).connectNow();
        REDIS.redis().call("CLIENT", "PAUSE", "2000", "ALL");

        long first = System.nanoTime();
        assertThatThrownBy(this::decide).isInstanceOf(StoreUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - first)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        long next = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(this::decide)
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("was slower than PT0.3S");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - next)).isLessThan(Duration.ofMillis(300));
        assertThat(inTimeAgain).hasValue(0);

        Awaitility.await("a probe answered in time")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(StoreUnavailableException.class)
                .until(() -> decide() == 1);
        assertThat(inTimeAgain).hasValue(1);
    }

    @Test
    void aBatchIsManyRunsInFlightAnsweredInOrder() {
        link(Duration.ofSeconds(1)).connectNow();
        REDIS.redis().call("HSET", KEYS[0], "m", "999999999999");
        List<CompletionStage<Long>> runs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String[] keys = i % 2 == 0 ? KEYS : new String[] {Keys.state(IpPrefix.parse("198.51.100." + i))};
            runs.add(link.start(BUDGET, keys, "1000", "3600000", "18000"));
        }

        List<Long> answers = link.awaitAll(BUDGET, runs);

        for (int i = 0; i < 100; i++) {
            assertThat(answers.get(i)).as("run %d", i).isEqualTo(i % 2 == 0 ? 0L : 1L);
        }
    }

    @Test
    void aClosedLinkRefusesDecisions() {
        link(Duration.ofSeconds(1)).connectNow();
        link.close();

        assertThatThrownBy(this::decide).isInstanceOf(StoreUnavailableException.class);
    }
}
