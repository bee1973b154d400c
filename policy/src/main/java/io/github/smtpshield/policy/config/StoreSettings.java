package io.github.smtpshield.policy.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where per-client state lives ({@code <store>}): in this node's memory, or in Redis shared by a
 * cluster ({@code <store type="redis" uri="redis://127.0.0.1:6379" onFailure="open" timeout="1s" lease="2m"/>}).
 *
 * @param type      memory (default) or redis
 * @param uri       the Redis URI; present exactly when the type is redis
 * @param onFailure what a decision does when Redis cannot be reached (default open)
 * @param timeout   the bound on one Redis decision, connecting included (default 1 s)
 * @param lease     how long a node's open connections count without the node renewing them (default 2 min): a
 *                  node that dies stops counting against its clients within this time
 */
public record StoreSettings(Type type, Optional<String> uri, FailureMode onFailure, Duration timeout, Duration lease) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(2);

    /** URI schemes of the Redis client James uses (Lettuce). */
    public static final List<String> REDIS_SCHEMES =
            List.of("redis://", "rediss://", "redis-sentinel://", "redis-socket://");

    private static final StoreSettings MEMORY = new StoreSettings(Type.MEMORY, Optional.empty(), FailureMode.OPEN);

    /** The default timeout and lease. */
    public StoreSettings(Type type, Optional<String> uri, FailureMode onFailure) {
        this(type, uri, onFailure, DEFAULT_TIMEOUT, DEFAULT_LEASE);
    }

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
        if (timeout.isNegative() || timeout.isZero() || lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("timeout and lease must be positive: " + timeout + ", " + lease);
        }
        if (type == Type.REDIS && uri.filter(StoreSettings::isRedisUri).isEmpty()) {
            throw new IllegalArgumentException("a redis store needs a uri starting with "
                    + String.join(", ", REDIS_SCHEMES) + ": " + uri.orElse(""));
        }
        if (type == Type.MEMORY && uri.isPresent()) {
            throw new IllegalArgumentException("a memory store has no uri: " + uri.get());
        }
    }

    public static StoreSettings memory() {
        return MEMORY;
    }

    public static StoreSettings redis(String uri, FailureMode onFailure) {
        return new StoreSettings(Type.REDIS, Optional.of(uri), onFailure);
    }

    public static StoreSettings redis(String uri, FailureMode onFailure, Duration timeout, Duration lease) {
        return new StoreSettings(Type.REDIS, Optional.of(uri), onFailure, timeout, lease);
    }

    /** Never shows a password of the URI (the start-up log prints the settings). */
    @Override
    public String toString() {
        return "StoreSettings[type=" + type + ", uri=" + uri.map(StoreSettings::withoutPassword).orElse("none")
                + ", onFailure=" + onFailure + ", timeout=" + timeout + ", lease=" + lease + "]";
    }

    static String withoutPassword(String uri) {
        return uri.replaceFirst("://[^@/]*@", "://***@");
    }

    static boolean isRedisUri(String uri) {
        return REDIS_SCHEMES.stream().anyMatch(uri::startsWith);
    }
}
