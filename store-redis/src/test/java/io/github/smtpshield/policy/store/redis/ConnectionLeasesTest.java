package io.github.smtpshield.policy.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.config.RedisUri;
import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.store.MutableClock;
import io.github.smtpshield.testing.LoopbackRedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** This node's leases on their own, against a real redis-server: what is renewed, released, and taken back later. */
class ConnectionLeasesTest {
    @RegisterExtension
    static final LoopbackRedisExtension<LoopbackRedisServer> REDIS = LoopbackRedisExtension.server();

    static final IpPrefix CLIENT = IpPrefix.parse("203.0.113.5");
    static final IpPrefix OTHER = IpPrefix.parse("2001:db8::/64");
    static final long LEASE = 60_000;

    final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T10:00:00Z"));
    final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor();
    RedisLink link;
    ConnectionLeases leases;

    @BeforeEach
    void connect() {
        REDIS.redis().flushAll();
        Duration timeout = Duration.ofSeconds(1);
        link = new RedisLink(
                Topology.of(RedisUri.of(REDIS.redis().uri()), false, timeout),
                timeout,
                background,
                () -> {},
                List.of());
        link.connectNow();
        leases = new ConnectionLeases(link, clock, LEASE);
    }

    @AfterEach
    void close() {
        background.shutdownNow();
        link.close();
    }

    /** A connection Redis counted (as connect.lua does), held by this node. */
    String counted(IpPrefix key) {
        String id = leases.newId();
        REDIS.redis().call("ZADD", Keys.connections(key), Long.toString(clock.millis() + LEASE), id);
        leases.hold(key, id);
        return id;
    }

    Object leaseEnd(IpPrefix key, String id) {
        return REDIS.redis().call("ZSCORE", Keys.connections(key), id);
    }

    @Test
    void idsAreThisNodesAndNeverRepeat() {
        String first = leases.newId();
        String second = leases.newId();

        assertThat(first).startsWith(leases.node() + ":").isNotEqualTo(second);
        assertThat(new ConnectionLeases(link, clock, LEASE).node()).isNotEqualTo(leases.node());
    }

    @Test
    void aRoundRenewsEveryHeldLeaseButRevivesNoneThatLapsed() {
        String mine = counted(CLIENT);
        String other = counted(OTHER);
        String lapsed = counted(CLIENT);
        REDIS.redis().call("ZREM", Keys.connections(CLIENT), lapsed);

        clock.advance(Duration.ofSeconds(20));
        leases.renew();

        String renewed = Long.toString(clock.millis() + LEASE);
        assertThat(leaseEnd(CLIENT, mine)).isEqualTo(renewed);
        assertThat(leaseEnd(OTHER, other)).isEqualTo(renewed);
        assertThat(leaseEnd(CLIENT, lapsed)).as("a lapsed lease counts no more").isNull();
    }

    @Test
    void aDisconnectTakesOneOfThisNodesIdsOfTheKey() {
        String first = counted(CLIENT);
        String second = counted(CLIENT);

        assertThat(leases.takeOne(OTHER)).isNull();
        assertThat(leases.takeOne(CLIENT)).isEqualTo(second);
        assertThat(leases.takeOne(CLIENT)).isEqualTo(first);
        assertThat(leases.takeOne(CLIENT)).isNull();
    }

    @Test
    void aCountThatCouldNotBeTakenBackGoesWithThePendingReleases() {
        String id = counted(CLIENT);
        leases.releaseLater(CLIENT, leases.takeOne(CLIENT));

        leases.releasePending();

        assertThat(leaseEnd(CLIENT, id)).isNull();
        assertThat(REDIS.redis().keyCount()).as("an empty set is gone").isZero();
    }

    @Test
    void atCloseEveryHeldConnectionIsReleased() {
        for (int i = 0; i < 1200; i++) {
            counted(i % 2 == 0 ? CLIENT : IpPrefix.parse("198.51.100." + (i % 200)));
        }

        leases.releaseAll();

        assertThat(REDIS.redis().keyCount()).isZero();
        assertThat(leases.takeOne(CLIENT)).isNull();
    }
}
