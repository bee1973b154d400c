package io.github.smtpshield.policy.store.redis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.github.smtpshield.testing.LoopbackRedis;
import io.github.smtpshield.testing.LoopbackRedisServer;

/** The shared-store tests on one redis-server. */
class SharedStoreOnRedisTest extends SharedStoreContract {
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
    LoopbackRedis redis() {
        return redis;
    }
}
