package io.github.smtpshield.policy.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The resolvers the DNS checks ask ({@code <dns timeout="5s"><servers>...</servers></dns>}); the checks themselves
 * are rule elements of the same section.
 *
 * @param timeout how long one lookup may take before it counts as a temporary failure (default 5s)
 * @param servers resolvers to ask, by IP and port; empty means the system's resolvers
 */
public record DnsSettings(Duration timeout, List<InetSocketAddress> servers) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private static final DnsSettings DEFAULTS = new DnsSettings(DEFAULT_TIMEOUT, List.of());

    public DnsSettings {
        Durations.requirePositive(timeout, "timeout");
        servers = List.copyOf(Objects.requireNonNull(servers, "servers"));
    }

    /** 5s timeout, system resolvers. */
    public static DnsSettings defaults() {
        return DEFAULTS;
    }
}
