package io.github.smtpshield.policy.store;

import io.github.smtpshield.policy.store.redis.LoopbackRedisExtension;
import io.github.smtpshield.testing.LoopbackRedisCluster;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bans' contract on the Redis store, against a real three-node Redis Cluster. */
class RedisBanStoreOnClusterTest extends RedisBanStoreContract {
    @RegisterExtension
    static final LoopbackRedisExtension<LoopbackRedisCluster> REDIS = LoopbackRedisExtension.cluster();

    @Override
    LoopbackRedisExtension<?> redis() {
        return REDIS;
    }
}
