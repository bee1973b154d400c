package io.github.smtpshield.policy.store;

import io.github.smtpshield.policy.store.redis.RedisClientStore;
import io.github.smtpshield.testing.LoopbackRedisCluster;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The concurrency contract on the Redis store over a three-node Redis Cluster: eight threads, one cluster connection. */
class RedisClientStoreOnClusterConcurrencyTest extends ClientStoreConcurrencyContract {

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
    ClientStore newStore(Clock clock) {
        redis.flushAll();
        return RedisClientStore.builder(redis.uri()).cluster(true).clock(clock).build();
    }

    @Override
    long trackedEntries() {
        return redis.keyCount();
    }

    @Override
    int operations() {
        return 2_000;
    }
}
