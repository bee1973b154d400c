package io.github.smtpshield.policy.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.store.MessageSlot;
import io.github.smtpshield.policy.store.MutableClock;
import io.github.smtpshield.testing.LoopbackRedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node's allowance of a client's hourly budget ({@link MessageAllowances}), on a real redis-server: fewer round
 * trips for a busy client, never past the limit across nodes, and what a node does not use goes back.
 */
class MessageAllowancesTest {
    @RegisterExtension
    static final LoopbackRedisExtension<LoopbackRedisServer> REDIS = LoopbackRedisExtension.server();

    static final IpPrefix CLIENT = IpPrefix.parse("203.0.113.5");
    static final Duration HOUR = Duration.ofHours(1);
    static final Pattern EVALSHA_CALLS = Pattern.compile("cmdstat_evalsha:calls=(\\d+)");

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
    final List<RedisClientStore> nodes = new ArrayList<>();

    @AfterEach
    void close() {
        nodes.forEach(RedisClientStore::close);
    }

    RedisClientStore node() {
        RedisClientStore node = (nodes.isEmpty()
                        ? REDIS.emptyStore()
                        : RedisClientStore.builder(REDIS.redis().uri()))
                .clock(clock)
                .build();
        nodes.add(node);
        return node;
    }

    long scriptsRun() {
        Matcher calls = EVALSHA_CALLS.matcher((String) REDIS.redis().call("INFO", "commandstats"));
        return calls.find() ? Long.parseLong(calls.group(1)) : 0;
    }

    int take(RedisClientStore node, int messages, int limit) {
        int taken = 0;
        for (int i = 0; i < messages; i++) {
            if (node.takeMessage(CLIENT, limit, false).isPresent()) {
                taken++;
            }
        }
        return taken;
    }

    /** A session that sends until it is refused (at most 10,000 messages). */
    int takeUntilRefused(RedisClientStore node, int limit) {
        for (int taken = 0; taken < 10_000; taken++) {
            if (node.takeMessage(CLIENT, limit, false).isEmpty()) {
                return taken;
            }
        }
        throw new AssertionError("never refused");
    }

    int messages(RedisClientStore node, int limit) {
        return node.counters(CLIENT, limit, 0, HOUR).messages();
    }

    @Test
    void aBusyClientsMailFromsMostlyNeedNoRoundTrip() {
        RedisClientStore node = node();
        long before = scriptsRun();

        assertThat(take(node, 1000, 100_000)).isEqualTo(1000);

        long scripts = scriptsRun() - before;
        System.out.printf("1000 MAIL FROMs of a busy client: %d scripts in Redis%n", scripts);
        // 1 + 2 + 4 + ... + 64, then 64 at a time: 7 grants reach 127, 14 more the thousand.
        assertThat(scripts).isBetween(15L, 30L);
        assertThat(messages(node, 100_000))
                .as("its own unused allowance is not counted")
                .isEqualTo(1000);
    }

    @Test
    void aClientOfOneMessageAtATimeIsAskedForOneAndHoldsNothing() {
        RedisClientStore a = node();
        RedisClientStore b = node();

        for (int i = 0; i < 5; i++) {
            long before = scriptsRun();
            assertThat(take(a, 1, 100)).isEqualTo(1);
            assertThat(scriptsRun() - before).as("one round trip").isEqualTo(1);
            assertThat(messages(b, 100))
                    .as("another node sees exactly what A counts: A holds nothing")
                    .isEqualTo(messages(a, 100))
                    .isPositive();
            clock.advance(MessageAllowances.LIFETIME.plusSeconds(1));
        }
    }

    @Test
    void nearItsLimitAClientIsDecidedMessageByMessage() {
        RedisClientStore node = node();
        assertThat(take(node, 20, 20)).isEqualTo(20);
        long before = scriptsRun();

        assertThat(node.takeMessage(CLIENT, 20, false)).as("the 21st").isEmpty();
        assertThat(scriptsRun() - before).isEqualTo(1);
        Optional<MessageSlot> over = node.takeMessage(CLIENT, 20, true);
        assertThat(over).hasValueSatisfying(slot -> assertThat(slot.overLimit()).isTrue());
        assertThat(messages(node, 20))
                .as("an observing rule takes one past the budget, never a grant")
                .isEqualTo(21);
    }

    @Test
    void twoNodesTakingAtOnceNeverAdmitMoreThanTheLimit() throws Exception {
        RedisClientStore a = node();
        RedisClientStore b = node();
        int limit = 5000;

        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> sessions = new ArrayList<>();
            for (RedisClientStore node : List.of(a, b, a, b)) {
                sessions.add(() -> takeUntilRefused(node, limit));
            }
            int admitted = 0;
            for (Future<Integer> session : threads.invokeAll(sessions)) {
                admitted += session.get();
            }
            assertThat(admitted).isEqualTo(limit);
        } finally {
            threads.shutdownNow();
        }
        assertThat(messages(a, limit)).isEqualTo(limit);
        assertThat(messages(b, limit)).isEqualTo(limit);
    }

    @Test
    void whatANodeHasNotUsedGoesBackAfterItsLifetime() {
        RedisClientStore a = node();
        RedisClientStore b = node();
        // One message a second: grants of 1, 2, 4 ... 64 make 127, 27 of them unused.
        assertThat(take(a, 100, 3600)).isEqualTo(100);
        assertThat(messages(b, 3600)).as("A holds the rest of its last grant").isEqualTo(127);

        clock.advance(MessageAllowances.LIFETIME.plusSeconds(1));

        Awaitility.await("A gave its unused allowance back")
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> messages(a, 3600) == 89 && messages(b, 3600) == 89); // 100 sent, 11 s drained
    }

    @Test
    void aNodeThatClosesGivesItsAllowanceBack() {
        RedisClientStore a = node();
        RedisClientStore b = node();
        assertThat(take(a, 100, 100_000)).isEqualTo(100);

        a.close();

        Awaitility.await("A gave its unused allowance back")
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> messages(b, 100_000) == 100);
    }

    @Test
    void aChangedLimitGivesBackWhatWasTakenAtTheOldOne() {
        RedisClientStore a = node();
        RedisClientStore b = node();
        assertThat(take(a, 100, 100_000)).isEqualTo(100);

        assertThat(take(a, 1, 200_000)).isEqualTo(1);

        Awaitility.await("A gave back what it took at 100,000 per hour")
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> messages(b, 200_000) == 201); // 100 of 36 ms and 1 of 18 ms, in 18 ms
    }
}
