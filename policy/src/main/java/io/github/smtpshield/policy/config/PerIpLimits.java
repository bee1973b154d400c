package io.github.smtpshield.policy.config;

import java.util.Objects;

/**
 * Limits counted per client ({@code <perIp>}). Clients are grouped by network prefix so that one
 * host cannot dodge a limit by hopping addresses within its own IPv6 /64.
 *
 * @param ipv4Prefix                IPv4 addresses sharing this many leading bits are one client (1..32, default 32)
 * @param ipv6Prefix                IPv6 addresses sharing this many leading bits are one client (1..128, default 64)
 * @param maxTrackedClients         how many clients the memory store remembers at most (default 1,000,000)
 * @param maxMessagesPerHour        messages per client per hour
 * @param maxConcurrentConnections  open SMTP connections per client
 * @param maxUnknownRecipients      unknown recipients per client before it is blocked (directory harvest)
 */
public record PerIpLimits(
        int ipv4Prefix,
        int ipv6Prefix,
        long maxTrackedClients,
        Limit maxMessagesPerHour,
        Limit maxConcurrentConnections,
        HarvestLimit maxUnknownRecipients) {

    public static final int DEFAULT_IPV4_PREFIX = 32;
    public static final int DEFAULT_IPV6_PREFIX = 64;
    public static final long DEFAULT_MAX_TRACKED_CLIENTS = 1_000_000;

    private static final PerIpLimits DEFAULTS = new PerIpLimits(
            DEFAULT_IPV4_PREFIX,
            DEFAULT_IPV6_PREFIX,
            DEFAULT_MAX_TRACKED_CLIENTS,
            Limit.off(),
            Limit.off(),
            HarvestLimit.off());

    public PerIpLimits {
        if (ipv4Prefix < 1 || ipv4Prefix > 32) {
            throw new IllegalArgumentException("ipv4Prefix must be 1..32: " + ipv4Prefix);
        }
        if (ipv6Prefix < 1 || ipv6Prefix > 128) {
            throw new IllegalArgumentException("ipv6Prefix must be 1..128: " + ipv6Prefix);
        }
        if (maxTrackedClients < 1) {
            throw new IllegalArgumentException("maxTrackedClients must be at least 1: " + maxTrackedClients);
        }
        Objects.requireNonNull(maxMessagesPerHour, "maxMessagesPerHour");
        Objects.requireNonNull(maxConcurrentConnections, "maxConcurrentConnections");
        Objects.requireNonNull(maxUnknownRecipients, "maxUnknownRecipients");
    }

    /** Default grouping, every limit off. */
    public static PerIpLimits defaults() {
        return DEFAULTS;
    }
}
