package io.github.smtpshield.policy.store.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.api.sync.RedisScriptingCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.RedisClusterURIUtil;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What differs, for {@link RedisClientStore}, between one Redis (standalone, or Sentinel's current master) and a
 * Redis Cluster: the Lettuce client and its connection, and which keys one script may touch together. Both get the
 * same options: commands rejected at once while a link is down, each bounded by the timeout, reconnection in the
 * background (backoff up to 2 s).
 */
abstract sealed class Topology permits Topology.Single, Topology.Cluster {

    /** A connection's two faces: one script at a time (decisions), or many in flight (batches). */
    record Link(
            StatefulConnection<String, String> connection,
            RedisScriptingCommands<String, String> sync,
            RedisScriptingAsyncCommands<String, String> async) {}

    final ClientResources resources = ClientResources.builder()
            .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
            .build();

    /** The Redis of {@code uri}, or the Redis Cluster of the seeds of {@code uri} ({@code redis://h1:p1,h2:p2}). */
    static Topology of(String uri, boolean cluster, Duration timeout) {
        return cluster ? new Cluster(uri, timeout) : new Single(uri, timeout);
    }

    /** Connects (a cluster: to the seeds, then to every master); throws a {@code RedisException} when it cannot. */
    abstract Link connect();

    /**
     * Whether one script may touch the block index beside a client's keys. One Redis: yes. A Redis Cluster runs a
     * script on the node of its keys' hash slot, and the index is in a slot of its own.
     */
    abstract boolean indexBesideClientKeys();

    /** The hash slot of {@code key}: the keys one script touches must share it (one Redis: one slot for all). */
    abstract int slot(String key);

    /** Where the Redis is, without credentials, for log lines and errors. */
    abstract String describe();

    @SuppressWarnings(
            "FutureReturnValueIgnored") // at close nothing waits for the event loops beyond the client's own shutdown
    void shutdown() {
        client().shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    abstract AbstractRedisClient client();

    static <B extends ClientOptions.Builder> B options(B builder, Duration timeout) {
        builder.protocolVersion(ProtocolVersion.RESP2)
                .autoReconnect(true)
                // While a link is down, fail at once instead of queueing until the timeout.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(timeout)
                        .keepAlive(true)
                        .build())
                .timeoutOptions(TimeoutOptions.enabled(timeout));
        return builder;
    }

    private static String hostAndPort(RedisURI uri) {
        return uri.getHost() == null ? "(socket or sentinel)" : uri.getHost() + ":" + uri.getPort();
    }

    /** One Redis: standalone, or the master that Sentinel names ({@code redis-sentinel://}). */
    static final class Single extends Topology {
        private final RedisURI uri;
        private final RedisClient client;

        Single(String uri, Duration timeout) {
            this.uri = RedisURI.create(uri);
            this.uri.setTimeout(timeout);
            this.client = RedisClient.create(resources);
            client.setOptions(options(ClientOptions.builder(), timeout).build());
        }

        @Override
        Link connect() {
            StatefulRedisConnection<String, String> connection = client.connect(StringCodec.UTF8, uri);
            return new Link(connection, connection.sync(), connection.async());
        }

        @Override
        boolean indexBesideClientKeys() {
            return true;
        }

        @Override
        int slot(String key) {
            return 0;
        }

        @Override
        String describe() {
            return hostAndPort(uri);
        }

        @Override
        RedisClient client() {
            return client;
        }
    }

    /**
     * A Redis Cluster. Lettuce routes each script to the master of its first key's slot, follows MOVED and ASK,
     * and refreshes its view of the slots every 30 s and whenever a node redirects or stays unreachable.
     */
    static final class Cluster extends Topology {
        private final List<RedisURI> seeds;
        private final RedisClusterClient client;

        Cluster(String uri, Duration timeout) {
            this.seeds = RedisClusterURIUtil.toRedisURIs(URI.create(uri));
            seeds.forEach(seed -> seed.setTimeout(timeout));
            this.client = RedisClusterClient.create(resources, seeds);
            client.setOptions(options(ClusterClientOptions.builder(), timeout)
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(Duration.ofSeconds(30))
                            .enableAllAdaptiveRefreshTriggers()
                            .build())
                    .build());
        }

        @Override
        Link connect() {
            StatefulRedisClusterConnection<String, String> connection = client.connect(StringCodec.UTF8);
            return new Link(connection, connection.sync(), connection.async());
        }

        @Override
        boolean indexBesideClientKeys() {
            return false;
        }

        @Override
        int slot(String key) {
            return SlotHash.getSlot(key);
        }

        @Override
        String describe() {
            return "cluster " + seeds.stream().map(Topology::hostAndPort).collect(Collectors.joining(","));
        }

        @Override
        RedisClusterClient client() {
            return client;
        }
    }
}
