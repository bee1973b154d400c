package io.github.smtpshield.policy.store.redis;

import io.github.smtpshield.testing.LoopbackRedis;
import io.github.smtpshield.testing.LoopbackRedisCluster;
import io.github.smtpshield.testing.LoopbackRedisServer;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One throw-away Redis for a test class, started before its tests and stopped after them:
 * <pre>{@code @RegisterExtension static final LoopbackRedisExtension<LoopbackRedisServer> redis = LoopbackRedisExtension.server();}</pre>
 *
 * @param <R> a redis-server, or a three-node Redis Cluster
 */
public final class LoopbackRedisExtension<R extends LoopbackRedis> implements BeforeAllCallback, AfterAllCallback {
    private final Supplier<R> start;
    private R redis;
    /** The class that registered this extension: its {@code @Nested} classes inherit it, and share its Redis. */
    private ExtensionContext owner;

    private LoopbackRedisExtension(Supplier<R> start) {
        this.start = start;
    }

    public static LoopbackRedisExtension<LoopbackRedisServer> server() {
        return new LoopbackRedisExtension<>(LoopbackRedisServer::start);
    }

    public static LoopbackRedisExtension<LoopbackRedisCluster> cluster() {
        return new LoopbackRedisExtension<>(LoopbackRedisCluster::start);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (owner == null) {
            redis = start.get();
            owner = context;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context == owner) {
            redis.close();
        }
    }

    public R redis() {
        return redis;
    }

    /** A store on this Redis, emptied first, of the kind it is (one Redis, or a cluster). */
    public RedisClientStore.Builder emptyStore() {
        redis.flushAll();
        return RedisClientStore.builder(redis.uri()).cluster(redis.cluster());
    }
}
