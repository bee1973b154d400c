package io.github.smtpshield.e2e;

import io.github.smtpshield.testing.LoopbackRedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Every test of {@link MessageBudgetRaceIT}, on the packaged server with the Redis store (its own redis-server). */
class RedisMessageBudgetRaceIT extends MessageBudgetRaceIT {
    private static LoopbackRedisServer redis;

    @BeforeAll
    static void start() {
        redis = LoopbackRedisServer.start();
        server = startServer(TestPolicy.redisStore(redis.uri(), "open", "2m"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (redis != null) {
            redis.close();
        }
    }
}
