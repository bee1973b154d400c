package io.github.smtpshield.policy.store;

import io.github.smtpshield.policy.store.redis.LoopbackRedisExtension;
import io.github.smtpshield.testing.LoopbackRedisServer;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The concurrency contract on the Redis store: eight threads, one connection, every decision one atomic script. */
class RedisClientStoreConcurrencyTest extends ClientStoreConcurrencyContract {
    @RegisterExtension
    static final LoopbackRedisExtension<LoopbackRedisServer> REDIS = LoopbackRedisExtension.server();

    @Override
    ClientStore newStore(Clock clock) {
        return REDIS.emptyStore().clock(clock).build();
    }

    @Override
    long trackedEntries() {
        return REDIS.redis().keyCount();
    }

    @Override
    int operations() {
        return 2_000;
    }
}
