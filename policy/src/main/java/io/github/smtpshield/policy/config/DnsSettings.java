package io.github.smtpshield.policy.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The DNS checks and the resolvers they ask ({@code <dns>}).
 *
 * @param timeout                   how long one lookup may take before it counts as a temporary failure (default 5s)
 * @param servers                   resolvers to ask, by IP and port; empty means the system's resolvers
 * @param rejectUnknownSenderDomain refuse MAIL FROM domains that have no MX, A or AAAA record
 * @param rejectClientWithoutPtr    refuse clients whose IP has no reverse DNS (PTR)
 */
public record DnsSettings(
        Duration timeout,
        List<InetSocketAddress> servers,
        Check rejectUnknownSenderDomain,
        Check rejectClientWithoutPtr) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private static final DnsSettings DEFAULTS = new DnsSettings(DEFAULT_TIMEOUT, List.of(), Check.off(), Check.off());

    public DnsSettings {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        servers = List.copyOf(servers);
        Objects.requireNonNull(rejectUnknownSenderDomain, "rejectUnknownSenderDomain");
        Objects.requireNonNull(rejectClientWithoutPtr, "rejectClientWithoutPtr");
    }

    /** 5s timeout, system resolvers, both checks off. */
    public static DnsSettings defaults() {
        return DEFAULTS;
    }
}
