package io.github.smtpshield.policy.store;

import io.github.smtpshield.policy.store.redis.RedisClientStore;
import io.github.smtpshield.testing.LoopbackRedisServer;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The concurrency contract on the Redis store: eight threads, one connection, every decision one atomic script. */
class RedisClientStoreConcurrencyTest extends ClientStoreConcurrencyContract {

    static LoopbackRedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = LoopbackRedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Override
    ClientStore newStore(Clock clock) {
        redis.flushAll();
        return RedisClientStore.builder(redis.uri()).clock(clock).build();
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
