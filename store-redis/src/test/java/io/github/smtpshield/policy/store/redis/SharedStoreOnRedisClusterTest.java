package io.github.smtpshield.policy.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.store.Admission;
import io.github.smtpshield.policy.store.Block;
import io.github.smtpshield.policy.store.StoreUnavailableException;
import io.github.smtpshield.testing.LoopbackRedisCluster;
import io.github.smtpshield.testing.LoopbackRedisServer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared-store tests on a three-node Redis Cluster, and what only a cluster has: a client's keys on one node,
 * clients spread over all nodes, and the block index in a slot of its own.
 */
class SharedStoreOnRedisClusterTest extends SharedStoreContract {
    @RegisterExtension
    static final LoopbackRedisExtension<LoopbackRedisCluster> REDIS = LoopbackRedisExtension.cluster();

    @Override
    LoopbackRedisCluster redis() {
        return REDIS.redis();
    }

    @Test
    void aClientsKeysShareANodeAndClientsSpreadOverAllNodes() {
        RedisClientStore store = node();
        Set<Integer> ports = new HashSet<>();
        for (int i = 1; i <= 30; i++) {
            IpPrefix key = IpPrefix.parse("198.51.100." + i);
            store.tryConnect(key, 10);
            store.takeMessage(key, 200, true);
            LoopbackRedisServer node = redis().nodeOf(RedisClientStore.PREFIX + "{" + key + "}:s");
            assertThat(node.call(
                            "EXISTS",
                            RedisClientStore.PREFIX + "{" + key + "}:s",
                            RedisClientStore.PREFIX + "{" + key + "}:c"))
                    .as("both keys of %s on node %d", key, node.port())
                    .isEqualTo(2L);
            ports.add(node.port());
        }
        assertThat(ports).as("30 clients over 3 nodes").hasSize(3);
        store.close();
        assertThat(redis().keyCount())
                .as("a clean close released every connection")
                .isEqualTo(30);
    }

    @Test
    void aBlockWhoseListingFailedIsEnforcedAtOnceAndListedOnceTheIndexIsBack() {
        LoopbackRedisServer indexNode = redis().nodeOf(RedisClientStore.BLOCK_INDEX);
        IpPrefix client = null;
        for (int i = 1; client == null; i++) {
            IpPrefix candidate = IpPrefix.parse("198.51.100." + i);
            if (redis().nodeOf(RedisClientStore.PREFIX + "{" + candidate + "}:s") != indexNode) {
                client = candidate;
            }
        }
        RedisClientStore a = node(store().timeout(Duration.ofMillis(500)).renewEvery(Duration.ofMillis(200)));
        RedisClientStore b = node(store().timeout(Duration.ofMillis(500)));
        assertThat(a.tryConnect(client, 10)).isEqualTo(Admission.ADMITTED);

        indexNode.stop();
        Block block = a.block(client, "spam run", HOUR).block();

        assertThat(b.tryConnect(client, 10)).as("enforced on the other node").isEqualTo(Admission.blocked(block));
        assertThatThrownBy(b::blocks).as("the index's node is down").isInstanceOf(StoreUnavailableException.class);

        redis().restart();

        IpPrefix blocked = client;
        Awaitility.await("A to list the block again")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(StoreUnavailableException.class)
                .until(() -> b.blocks().contains(block));
        assertThat(b.unblock(blocked)).isTrue();
        assertThat(a.blocks()).isEmpty();
        assertThat(a.tryConnect(blocked, 10)).isEqualTo(Admission.ADMITTED);
    }

    @Test
    void listingForgetsIndexEntriesWithoutABlock() {
        RedisClientStore store = node();
        IpPrefix client = IpPrefix.parse("198.51.100.7");
        store.block(client, "spam run", HOUR);
        // The block vanishes behind the index's back (its hash deleted): the index entry is stale.
        redis().nodeOf(RedisClientStore.PREFIX + "{" + client + "}:s")
                .call("DEL", RedisClientStore.PREFIX + "{" + client + "}:s");

        assertThat(store.blocks()).isEmpty();

        assertThat(redis().keyTtls()).as("the index forgot it, and went").isEmpty();
    }
}
