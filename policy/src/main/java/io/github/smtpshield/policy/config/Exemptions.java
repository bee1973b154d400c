package io.github.smtpshield.policy.config;

import io.github.smtpshield.policy.net.NetworkSet;
import java.net.InetAddress;
import java.util.Objects;

/**
 * Who the per-IP limits and DNS checks leave alone ({@code <exempt>}); Kerio's "do not apply
 * these limits to IP group".
 *
 * @param networks           client networks that are never limited (default: none)
 * @param authenticatedUsers whether sessions that authenticated are exempt too (default: true)
 */
public record Exemptions(NetworkSet networks, boolean authenticatedUsers) {

    private static final Exemptions DEFAULTS = new Exemptions(NetworkSet.empty(), true);

    public Exemptions {
        Objects.requireNonNull(networks, "networks");
    }

    public static Exemptions defaults() {
        return DEFAULTS;
    }

    /** Whether a client connecting from {@code address} is exempt by its network. */
    public boolean isExempt(InetAddress address) {
        return networks.contains(address);
    }
}
