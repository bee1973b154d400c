package io.github.smtpshield.policy.store;

import io.github.smtpshield.policy.store.redis.LoopbackRedisExtension;
import io.github.smtpshield.testing.LoopbackRedisCluster;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The concurrency contract on the Redis store over a three-node Redis Cluster: eight threads, one cluster connection. */
class RedisClientStoreOnClusterConcurrencyTest extends ClientStoreConcurrencyContract {
    @RegisterExtension
    static final LoopbackRedisExtension<LoopbackRedisCluster> REDIS = LoopbackRedisExtension.cluster();

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
