package io.github.smtpshield.policy.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where per-client state lives ({@code <store>}): in this node's memory, or in Redis shared by a
 * cluster ({@code <store type="redis" uri="redis://127.0.0.1:6379" onFailure="open" timeout="1s" lease="2m"/>}),
 * that Redis being a standalone server, a Sentinel group, or a Redis Cluster
 * ({@code <store type="redis" cluster="true" uri="redis://10.0.0.1:6379,10.0.0.2:6379"/>}).
 *
 * @param type      memory (default) or redis
 * @param uri       the Redis URI; present exactly when the type is redis
 * @param onFailure what a decision does when Redis cannot be reached (default open)
 * @param timeout   the bound on one Redis decision, and on connecting to Redis (default 1 s)
 * @param lease     how long a node's open connections count without the node renewing them (default 2 min): a
 *                  node that dies stops counting against its clients within this time
 * @param cluster   the Redis is a Redis Cluster, and {@code uri} names some of its nodes (seeds) in Lettuce's
 *                  syntax {@code redis[s]://[[user]:password@]host1[:port1][,host2[:port2]...]}; false by default
 */
public record StoreSettings(
        Type type, Optional<String> uri, FailureMode onFailure, Duration timeout, Duration lease, boolean cluster) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(2);

    /** URI schemes of the Redis client James uses (Lettuce). */
    public static final List<String> REDIS_SCHEMES =
            List.of("redis://", "rediss://", "redis-sentinel://", "redis-socket://");

    /** The schemes of a Redis Cluster's seeds: Sentinel and sockets have no cluster. */
    public static final List<String> CLUSTER_SCHEMES = List.of("redis://", "rediss://");

    /** One seed of a cluster URI: a host name or IPv4 address, an optional port. */
    private static final Pattern SEED = Pattern.compile("([A-Za-z0-9._-]+)(?::([0-9]{1,5}))?");

    private static final StoreSettings MEMORY =
            new StoreSettings(Type.MEMORY, Optional.empty(), FailureMode.OPEN, DEFAULT_TIMEOUT, DEFAULT_LEASE, false);

    /** The kind of store. */
    public enum Type {
        /** Bounded in-memory store of one node. */
        MEMORY,
        /** Redis, shared by every node of a cluster. */
        REDIS
    }

    /** What a decision does when the store fails. */
    public enum FailureMode {
        /** Let the client through: mail keeps flowing while Redis is down. */
        OPEN,
        /** Answer with a temporary failure: no limit is skipped while Redis is down. */
        CLOSED
    }

    public StoreSettings {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(onFailure, "onFailure");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(lease, "lease");
        Durations.requirePositive(timeout, "timeout");
        Durations.requirePositive(lease, "lease");
        if (type == Type.REDIS) {
            checkUri(uri.orElse(""), cluster);
        }
        if (type == Type.MEMORY && (uri.isPresent() || cluster)) {
            throw new IllegalArgumentException("a memory store has no uri and is no cluster: " + uri.orElse(""));
        }
    }

    public static StoreSettings memory() {
        return MEMORY;
    }

    /** Never shows a password of the URI (the start-up log prints the settings). */
    @Override
    public String toString() {
        return "StoreSettings[type=" + type + ", uri="
                + uri.map(text -> RedisUri.of(text).redacted()).orElse("none") + ", cluster=" + cluster + ", onFailure="
                + onFailure + ", timeout=" + timeout + ", lease=" + lease + "]";
    }

    /**
     * Checks a Redis URI: one of {@link #REDIS_SCHEMES}; for a cluster, Lettuce's seed list (one URI, several
     * {@code host[:port]}, database 0 only); several hosts in a {@code redis://} URI only for a cluster; then that it
     * is a URI at all, with its credentials percent-encoded where they must be. Never shows the credentials.
     *
     * @throws IllegalArgumentException naming the problem and the URI, in one line
     */
    public static String checkUri(String text, boolean cluster) {
        RedisUri uri = RedisUri.of(text);
        String quoted = "'" + uri.redacted() + "'";
        if (!cluster) {
            if (REDIS_SCHEMES.stream().noneMatch(text::startsWith)) {
                throw new IllegalArgumentException(
                        "must start with " + String.join(", ", REDIS_SCHEMES) + ": " + quoted);
            }
            if (CLUSTER_SCHEMES.stream().anyMatch(text::startsWith)
                    && uri.hosts().contains(",")) {
                throw new IllegalArgumentException(
                        "several hosts are the seeds of a Redis Cluster, which needs cluster=\"true\": " + quoted);
            }
            return checkSyntax(uri, quoted);
        }
        if (CLUSTER_SCHEMES.stream().noneMatch(text::startsWith)) {
            throw new IllegalArgumentException("a Redis Cluster is reached through "
                    + String.join(" or ", CLUSTER_SCHEMES) + " seeds (redis://host1:port1,host2:port2): " + quoted);
        }
        String afterCredentials = uri.afterCredentials();
        if (afterCredentials.contains("://")) {
            throw new IllegalArgumentException("the seeds of a Redis Cluster are one URI with several hosts "
                    + "(redis://host1:port1,host2:port2), not several URIs: " + quoted);
        }
        for (String seed : uri.hosts().split(",", -1)) {
            Matcher matcher = SEED.matcher(seed);
            if (!matcher.matches()) {
                throw new IllegalArgumentException(
                        "not a host[:port] seed of a Redis Cluster: '" + seed + "' in " + quoted);
            }
            if (matcher.group(2) != null
                    && (Integer.parseInt(matcher.group(2)) < 1 || Integer.parseInt(matcher.group(2)) > 65535)) {
                throw new IllegalArgumentException("port must be 1..65535: '" + seed + "' in " + quoted);
            }
        }
        String path = afterCredentials.substring(uri.hosts().length()).replaceFirst("[?#].*", "");
        if (!path.isEmpty() && !path.equals("/") && !path.equals("/0")) {
            throw new IllegalArgumentException(
                    "a Redis Cluster has database 0 only, not " + path.substring(1) + ": " + quoted);
        }
        return checkSyntax(uri, quoted);
    }

    /**
     * What the Redis client (Lettuce, through {@link URI}) would refuse later, with an error that echoes the URI, its
     * password included: a password written raw with a character that ends it early, or no URI at all.
     */
    private static String checkSyntax(RedisUri uri, String quoted) {
        if (uri.credentials().matches(".*[/?#@].*")) {
            throw new IllegalArgumentException(
                    "a password (or user) with / ? # or @ must be percent-encoded" + " (%2F %3F %23 %40): " + quoted);
        }
        try {
            new URI(uri.text());
        } catch (URISyntaxException e) {
            // The reason only: the exception's message repeats the URI.
            throw new IllegalArgumentException("not a URI (" + e.getReason() + "; a password with %, spaces or other"
                    + " characters outside a URI must be percent-encoded): " + quoted);
        }
        return uri.text();
    }
}
