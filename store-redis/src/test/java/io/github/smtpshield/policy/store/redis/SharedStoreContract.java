package io.github.smtpshield.policy.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.store.Admission;
import io.github.smtpshield.policy.store.Block;
import io.github.smtpshield.policy.store.HarvestVerdict;
import io.github.smtpshield.policy.store.StoreUnavailableException;
import io.github.smtpshield.testing.LoopbackRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What only a shared store has to do: two stores on one Redis act as two nodes of a James cluster; a node that
 * dies stops counting within its lease; every key drains; Redis going away and coming back. One subclass per kind
 * of Redis: {@link SharedStoreOnRedisTest} (one redis-server), {@link SharedStoreOnRedisClusterTest} (a Redis
 * Cluster).
 */
abstract class SharedStoreContract {
    static final IpPrefix CLIENT = IpPrefix.parse("203.0.113.5");
    static final Duration HOUR = Duration.ofHours(1);

    final List<RedisClientStore> stores = new ArrayList<>();

    /** The running Redis of the subclass, started once for all its tests. */
    abstract LoopbackRedis redis();

    @BeforeEach
    void emptyRedis() {
        if (!redis().isRunning()) {
            redis().restart();
        }
        redis().flushAll();
    }

    @AfterEach
    void closeStores() {
        stores.forEach(RedisClientStore::close);
    }

    RedisClientStore node(RedisClientStore.Builder builder) {
        RedisClientStore store = builder.build();
        stores.add(store);
        return store;
    }

    RedisClientStore.Builder store() {
        return RedisClientStore.builder(redis().uri()).cluster(redis().cluster());
    }

    RedisClientStore node() {
        return node(store());
    }

    int connections(RedisClientStore store) {
        return store.counters(CLIENT, 0, 0, HOUR).connections();
    }

    @Test
    void theConnectionLimitAndTheHourlyBudgetHoldAcrossNodes() {
        RedisClientStore a = node();
        RedisClientStore b = node();

        assertThat(a.tryConnect(CLIENT, 3)).isEqualTo(Admission.ADMITTED);
        assertThat(b.tryConnect(CLIENT, 3)).isEqualTo(Admission.ADMITTED);
        assertThat(a.tryConnect(CLIENT, 3)).isEqualTo(Admission.ADMITTED);
        assertThat(b.tryConnect(CLIENT, 3)).isEqualTo(Admission.TOO_MANY_CONNECTIONS);
        b.disconnect(CLIENT);
        // B sends its release without waiting for it: A sees it within a round trip of B's.
        Awaitility.await("B gave its slot back")
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> connections(a) == 2);
        assertThat(a.tryConnect(CLIENT, 3)).isEqualTo(Admission.ADMITTED);
        b.disconnect(CLIENT);
        assertThat(connections(a)).as("B held one connection only").isEqualTo(3);

        a.takeMessage(CLIENT, 2, true);
        b.takeMessage(CLIENT, 2, true);
        assertThat(a.takeMessage(CLIENT, 2, false)).isEmpty();
        assertThat(b.takeMessage(CLIENT, 2, false)).isEmpty();
    }

    @Test
    void aBlockMadeOnOneNodeRefusesOnTheOtherAndALiftOnAnyNodeLiftsItEverywhere() {
        RedisClientStore a = node();
        RedisClientStore b = node();
        for (int i = 0; i < 2; i++) {
            assertThat(a.recordUnknownRecipient(CLIENT, 3, HOUR, HOUR, true)).isEqualTo(HarvestVerdict.UNDER_LIMIT);
            assertThat(b.recordUnknownRecipient(CLIENT, 3, HOUR, HOUR, true))
                    .as("the count spans nodes")
                    .isIn(HarvestVerdict.UNDER_LIMIT, HarvestVerdict.BLOCK_STARTED);
        }

        Block block = b.activeBlock(CLIENT).orElseThrow();
        assertThat(block.reason()).isEqualTo(Block.HARVEST);
        assertThat(a.tryConnect(CLIENT, 10)).isEqualTo(Admission.blocked(block));
        assertThat(a.blocks()).containsExactly(block);

        assertThat(b.unblock(CLIENT)).isTrue();
        assertThat(a.tryConnect(CLIENT, 10)).isEqualTo(Admission.ADMITTED);
        assertThat(a.blocks()).isEmpty();
    }

    @Test
    void theConnectionsOfANodeThatDiesStopCountingWithinTheLease() {
        // A node that never renews plays one that died: nothing released its connections.
        RedisClientStore dead = node(store().lease(Duration.ofSeconds(2)).renewEvery(Duration.ofHours(1)));
        RedisClientStore alive = node(store().lease(Duration.ofSeconds(2)).renewEvery(Duration.ofMillis(200)));
        IpPrefix other = IpPrefix.parse("203.0.113.6");
        dead.tryConnect(CLIENT, 2);
        dead.tryConnect(CLIENT, 2);
        alive.tryConnect(other, 2);
        alive.tryConnect(other, 2);
        assertThat(alive.tryConnect(CLIENT, 2)).isEqualTo(Admission.TOO_MANY_CONNECTIONS);
        long start = System.nanoTime();

        Awaitility.await("the dead node's leases to end")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> connections(alive) == 0);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        assertThat(alive.tryConnect(CLIENT, 2)).isEqualTo(Admission.ADMITTED);
        assertThat(alive.counters(other, 0, 0, HOUR).connections())
                .as("renewed leases keep counting")
                .isEqualTo(2);
    }

    @Test
    void everyKeyHasATtl() {
        RedisClientStore store = node();
        store.tryConnect(CLIENT, 10);
        store.takeMessage(CLIENT, 200, true);
        store.recordUnknownRecipient(IpPrefix.parse("203.0.113.7"), 1, HOUR, HOUR, true);
        store.recordUnknownRecipient(IpPrefix.parse("203.0.113.7"), 1, HOUR, HOUR, true);
        store.block(IpPrefix.parse("2001:db8::/64"), "spam run", Duration.ofDays(7));
        store.recordUnknownRecipient(IpPrefix.parse("203.0.113.8"), 10, HOUR, HOUR, true);
        store.rememberScreeningPass(IpPrefix.parse("203.0.113.9"), -2, Duration.ofDays(1));

        Map<String, Long> ttls = redis().keyTtls();
        assertThat(ttls.keySet())
                .containsExactlyInAnyOrder(
                        "smtpshield:{203.0.113.5}:c",
                        "smtpshield:{203.0.113.5}:s",
                        "smtpshield:{203.0.113.7}:s",
                        "smtpshield:{203.0.113.8}:s",
                        "smtpshield:{2001:db8::/64}:s",
                        "smtpshield:{203.0.113.9}:p",
                        "smtpshield:blocks");
        ttls.forEach((key, ttl) -> assertThat(ttl)
                .as("TTL of " + key)
                .isPositive()
                .isLessThanOrEqualTo(Duration.ofDays(8).toMillis()));
    }

    @Test
    void theScreeningPassCacheIsSharedByTheNodes() {
        RedisClientStore one = node();
        RedisClientStore other = node();
        IpPrefix address = IpPrefix.parse("203.0.113.9");

        one.rememberScreeningPass(address, -2, Duration.ofHours(1));

        assertThat(other.screeningPass(address)).hasValue(-2);
        assertThat(other.screeningPass(IpPrefix.parse("203.0.113.10"))).isEmpty();
    }

    @Test
    void whileRedisIsDownEveryDecisionFailsWithinTheTimeoutAndTheStoreRecoversByItself() {
        RedisClientStore store = node(store().timeout(Duration.ofMillis(500)));
        assertThat(store.tryConnect(CLIENT, 1)).isEqualTo(Admission.ADMITTED);

        redis().stop();

        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> store.tryConnect(CLIENT, 1)).isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> store.takeMessage(CLIENT, 1, false)).isInstanceOf(StoreUnavailableException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }

        redis().restart();

        Awaitility.await("the store to reconnect")
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(StoreUnavailableException.class)
                .until(() -> store.tryConnect(CLIENT, 1).admitted());
        assertThat(store.tryConnect(CLIENT, 1))
                .as("a fresh Redis, the scripts loaded again")
                .isEqualTo(Admission.TOO_MANY_CONNECTIONS);
    }

    @Test
    void aStoreStartedWhileRedisIsDownConnectsWhenRedisComes() {
        redis().stop();
        RedisClientStore store = node(store().timeout(Duration.ofMillis(500)));
        assertThatThrownBy(() -> store.tryConnect(CLIENT, 1)).isInstanceOf(StoreUnavailableException.class);

        redis().restart();

        Awaitility.await("the store to connect")
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(StoreUnavailableException.class)
                .until(() -> store.tryConnect(CLIENT, 1).admitted());
    }

    @Test
    void aClosedNodeReleasesItsConnections() {
        RedisClientStore a = node();
        RedisClientStore b = node();
        a.tryConnect(CLIENT, 2);
        a.tryConnect(CLIENT, 2);

        a.close();

        assertThat(connections(b)).isZero();
    }
}
