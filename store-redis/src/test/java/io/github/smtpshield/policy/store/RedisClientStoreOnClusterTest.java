package io.github.smtpshield.policy.store;

import io.github.smtpshield.policy.store.redis.RedisClientStore;
import io.github.smtpshield.testing.LoopbackRedisCluster;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The {@link ClientStore} contract on the Redis store, against a real three-node Redis Cluster. */
class RedisClientStoreOnClusterTest extends ClientStoreContract {

    static LoopbackRedisCluster redis;

    @BeforeAll
    static void startRedis() {
        redis = LoopbackRedisCluster.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Override
    ClientStore newStore(Clock clock, BlockListener listener) {
        redis.flushAll();
        return RedisClientStore.builder(redis.uri()).cluster(true).clock(clock).listener(listener).build();
    }

    /** Keys on every node: each expires by itself, but a decision that leaves nothing to remember deletes its key. */
    @Override
    long trackedEntries() {
        return redis.keyCount();
    }
}
