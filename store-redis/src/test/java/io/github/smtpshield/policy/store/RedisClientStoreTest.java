package io.github.smtpshield.policy.store;

import io.github.smtpshield.policy.store.redis.RedisClientStore;
import io.github.smtpshield.testing.LoopbackRedisServer;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The {@link ClientStore} contract on the Redis store, against a real redis-server. */
class RedisClientStoreTest extends ClientStoreContract {

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
    ClientStore newStore(Clock clock, BlockListener listener) {
        redis.flushAll();
        return RedisClientStore.builder(redis.uri()).clock(clock).listener(listener).build();
    }

    /** Keys in Redis: each expires by itself, but a decision that leaves nothing to remember deletes its key. */
    @Override
    long trackedEntries() {
        return redis.keyCount();
    }
}
