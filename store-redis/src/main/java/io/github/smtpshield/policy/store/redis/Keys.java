package io.github.smtpshield.policy.store.redis;

import io.github.smtpshield.policy.net.IpPrefix;

/**
 * The store's keys in Redis (their fields are in {@code prelude.lua}): per client key, its state hash and its
 * connection leases, both hash-tagged {@code {<key>}} so that they share one hash slot (a Redis Cluster runs one
 * script on one slot); and the one block index.
 */
final class Keys {
    static final String PREFIX = "smtpshield:";
    static final String BLOCK_INDEX = PREFIX + "blocks";
    /** A key of no client, for a probe when no decision has stalled yet. */
    static final String PROBE = PREFIX + "probe";
    /** The index that lists account locks: login name -> lock until. */
    static final String LOCKS = PREFIX + "locks";

    private Keys() {}

    /** Rates and block of {@code key}: {@code smtpshield:{203.0.113.5}:s}. */
    static String state(IpPrefix key) {
        return PREFIX + "{" + key + "}:s";
    }

    /** The DNSBL screening's pass of {@code address}: {@code smtpshield:{203.0.113.5}:p}. */
    static String pass(IpPrefix address) {
        return PREFIX + "{" + address + "}:p";
    }

    /** Connection leases of {@code key}: {@code smtpshield:{203.0.113.5}:c}. */
    static String connections(IpPrefix key) {
        return PREFIX + "{" + key + "}:c";
    }

    /** The blocked client keys of {@code network} ({@code <bans><networks>}): {@code smtpshield:{203.0.113.0/24}:n}. */
    static String members(IpPrefix network) {
        return PREFIX + "{" + network + "}:n";
    }

    /** The failed authentications and lock of a login name: {@code smtpshield:{acct:alice@example.com}:a}. */
    static String account(String name) {
        return PREFIX + "{acct:" + name + "}:a";
    }
}
