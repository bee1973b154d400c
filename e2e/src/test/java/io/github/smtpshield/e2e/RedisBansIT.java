package io.github.smtpshield.e2e;

import io.github.smtpshield.testing.LoopbackRedisServer;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every test of {@link BansIT} on two packaged servers (nodes A and B, two James processes) sharing one redis-server:
 * counts, blocks, escalation, network blocks and account locks hold across the nodes, the tests alternating between
 * them.
 */
class RedisBansIT extends BansIT {
    private static LoopbackRedisServer redis;

    @BeforeAll
    static void start() {
        redis = LoopbackRedisServer.start();
        String store = TestPolicy.redisStore(redis.uri(), "open", "2m");
        CompletableFuture<ShieldServer> nodeA = CompletableFuture.supplyAsync(() -> startNode(store));
        CompletableFuture<ShieldServer> nodeB = CompletableFuture.supplyAsync(() -> startNode(store));
        a = nodeA.join();
        b = nodeB.join();
    }

    @AfterAll
    static void stop() {
        BansIT.stop();
        if (redis != null) {
            redis.close();
        }
    }
}
