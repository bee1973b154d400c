package io.github.smtpshield.policy.store;

import io.github.smtpshield.policy.store.redis.LoopbackRedisExtension;
import io.github.smtpshield.testing.LoopbackRedisCluster;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@link ClientStore} contract on the Redis store, against a real three-node Redis Cluster. */
class RedisClientStoreOnClusterTest extends ClientStoreContract {
    @RegisterExtension
    static final LoopbackRedisExtension<LoopbackRedisCluster> REDIS = LoopbackRedisExtension.cluster();

    @Override
    ClientStore newStore(Clock clock, BlockListener listener) {
        return REDIS.emptyStore().clock(clock).listener(listener).build();
    }

    /** Keys in Redis: each expires by itself, but a decision that leaves nothing to remember deletes its key. */
    @Override
    long trackedEntries() {
        return REDIS.redis().keyCount();
    }
}
