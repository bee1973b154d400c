package io.github.smtpshield.policy.config;

import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.store.MemoryClientStore;

/**
 * How clients are counted ({@code <perIp ipv4Prefix="32" ipv6Prefix="64" maxTrackedClients="1000000">}). Clients are
 * grouped by network prefix so that one host cannot dodge a limit by hopping addresses within its own IPv6 /64.
 *
 * @param ipv4Prefix        IPv4 addresses sharing this many leading bits are one client (1..32, default 32)
 * @param ipv6Prefix        IPv6 addresses sharing this many leading bits are one client (1..128, default 64)
 * @param maxTrackedClients how many clients the memory store remembers at most (default 1,000,000)
 */
public record PerIpSettings(int ipv4Prefix, int ipv6Prefix, long maxTrackedClients) {

    private static final PerIpSettings DEFAULTS = new PerIpSettings(
            IpPrefix.DEFAULT_IPV4_PREFIX, IpPrefix.DEFAULT_IPV6_PREFIX, MemoryClientStore.DEFAULT_MAX_TRACKED_CLIENTS);

    public PerIpSettings {
        if (ipv4Prefix < 1 || ipv4Prefix > 32) {
            throw new IllegalArgumentException("ipv4Prefix must be 1..32: " + ipv4Prefix);
        }
        if (ipv6Prefix < 1 || ipv6Prefix > 128) {
            throw new IllegalArgumentException("ipv6Prefix must be 1..128: " + ipv6Prefix);
        }
        if (maxTrackedClients < 1) {
            throw new IllegalArgumentException("maxTrackedClients must be at least 1: " + maxTrackedClients);
        }
    }

    /** IPv4 /32, IPv6 /64, a million clients. */
    public static PerIpSettings defaults() {
        return DEFAULTS;
    }
}
