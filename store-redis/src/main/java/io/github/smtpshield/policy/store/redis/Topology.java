package io.github.smtpshield.policy.store.redis;

import io.github.smtpshield.policy.config.RedisUri;
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
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What differs, for {@link RedisClientStore}, between one Redis (standalone, or Sentinel's current master) and a
 * Redis Cluster: the Lettuce client and its connection, and which keys one script may touch together. Both get the
 * same options: commands rejected at once while a link is down, each bounded by the timeout, reconnection in the
 * background (backoff up to 2 s). A URI Lettuce cannot read is refused with an {@link IllegalArgumentException} that
 * never repeats the password (Lettuce's own would: it echoes the URI, or a fragment of it).
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

    final RedisUri uri;

    Topology(RedisUri uri) {
        this.uri = uri;
    }

    /** The Redis of {@code uri}, or the Redis Cluster of the seeds of {@code uri} ({@code redis://h1:p1,h2:p2}). */
    static Topology of(RedisUri uri, boolean cluster, Duration timeout) {
        // Parsed before a client (and its threads) exists, so that a URI Lettuce refuses leaves nothing running.
        return cluster
                ? new Cluster(uri, parsed(uri, text -> RedisClusterURIUtil.toRedisURIs(URI.create(text))), timeout)
                : new Single(uri, parsed(uri, RedisURI::create), timeout);
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

    /** {@code message} without the URI's credentials. */
    String scrub(String message) {
        return uri.scrub(message);
    }

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

    /** Lettuce's reading of the URI, or an error that says why it failed without echoing the URI. */
    private static <T> T parsed(RedisUri uri, Function<String, T> parser) {
        try {
            return parser.apply(uri.text());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a Redis URI Lettuce can read (" + why(e, uri) + "): " + uri);
        }
    }

    /** What {@code e} says, as far as it is safe: Lettuce's messages may carry the URI or a piece of it. */
    private static String why(RuntimeException e, RedisUri uri) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof URISyntaxException syntax) {
                return syntax.getReason();
            }
        }
        if (e instanceof NumberFormatException) {
            return "a port or database is not a number";
        }
        return uri.hasCredentials() ? e.getClass().getSimpleName() : String.valueOf(e.getMessage());
    }

    /** One Redis: standalone, or the master that Sentinel names ({@code redis-sentinel://}). */
    static final class Single extends Topology {
        private final RedisURI lettuceUri;
        private final RedisClient client;

        private Single(RedisUri uri, RedisURI lettuceUri, Duration timeout) {
            super(uri);
            this.lettuceUri = lettuceUri;
            this.lettuceUri.setTimeout(timeout);
            this.client = RedisClient.create(resources);
            client.setOptions(options(ClientOptions.builder(), timeout).build());
        }

        @Override
        Link connect() {
            StatefulRedisConnection<String, String> connection = client.connect(StringCodec.UTF8, lettuceUri);
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
            return uri.redacted();
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
        private final RedisClusterClient client;

        private Cluster(RedisUri uri, List<RedisURI> seeds, Duration timeout) {
            super(uri);
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
            return "cluster " + uri.redacted();
        }

        @Override
        RedisClusterClient client() {
            return client;
        }
    }
}
