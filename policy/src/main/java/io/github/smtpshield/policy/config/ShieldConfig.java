package io.github.smtpshield.policy.config;

import java.util.Objects;

/**
 * The whole of {@code conf/smtpshield.xml}: the policy the shield enforces. Read it with
 * {@link ShieldConfigParser}.
 *
 * @param exempt  who is left alone
 * @param perIp   limits per client
 * @param session limits per session and message
 * @param dns     DNS checks
 * @param relay   the open-relay start-up guard
 * @param store   where per-client state lives
 */
public record ShieldConfig(
        Exemptions exempt,
        PerIpLimits perIp,
        SessionLimits session,
        DnsSettings dns,
        RelaySettings relay,
        StoreSettings store) {

    private static final ShieldConfig DEFAULTS = new ShieldConfig(
            Exemptions.defaults(),
            PerIpLimits.defaults(),
            SessionLimits.off(),
            DnsSettings.defaults(),
            RelaySettings.defaults(),
            StoreSettings.memory());

    public ShieldConfig {
        Objects.requireNonNull(exempt, "exempt");
        Objects.requireNonNull(perIp, "perIp");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(dns, "dns");
        Objects.requireNonNull(relay, "relay");
        Objects.requireNonNull(store, "store");
    }

    /**
     * What an empty {@code <smtpshield/>} means: every limit and check off, no exempt networks,
     * authenticated users exempt, memory store, no open relay allowed.
     */
    public static ShieldConfig defaults() {
        return DEFAULTS;
    }
}
