package io.github.smtpshield.policy.store;

import io.github.smtpshield.policy.store.redis.LoopbackRedisExtension;
import io.github.smtpshield.testing.LoopbackRedisServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bans' contract on the Redis store, against a real redis-server. */
class RedisBanStoreTest extends RedisBanStoreContract {
    @RegisterExtension
    static final LoopbackRedisExtension<LoopbackRedisServer> REDIS = LoopbackRedisExtension.server();

    @Override
    LoopbackRedisExtension<?> redis() {
        return REDIS;
    }
}
