package io.github.smtpshield.policy.config;

import io.github.smtpshield.policy.net.NetworkSet;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The whole of {@code conf/smtpshield.xml}: the policy the shield enforces. Read it with {@link ShieldConfigParser}.
 *
 * @param exempt          who is left alone
 * @param trustedProxies  the peers whose PROXY-protocol header is believed ({@code <trustedProxies>}); on a
 *     {@code proxyRequired} listener every other peer is refused at connect
 * @param perIp           how clients are counted
 * @param dns             the resolvers of the DNS checks
 * @param relay           the open-relay start-up guard
 * @param store           where per-client state lives
 * @param rules           the settings of each rule element present in the file, by element name (absent ones take
 *     their element's {@link RuleElement#off()})
 */
public record ShieldConfig(
        Exemptions exempt,
        NetworkSet trustedProxies,
        PerIpSettings perIp,
        DnsSettings dns,
        RelaySettings relay,
        StoreSettings store,
        Map<String, RuleSettings> rules) {

    private static final ShieldConfig DEFAULTS = new ShieldConfig(
            Exemptions.defaults(),
            NetworkSet.empty(),
            PerIpSettings.defaults(),
            DnsSettings.defaults(),
            RelaySettings.defaults(),
            StoreSettings.memory(),
            Map.of());

    public ShieldConfig {
        Objects.requireNonNull(exempt, "exempt");
        Objects.requireNonNull(trustedProxies, "trustedProxies");
        Objects.requireNonNull(perIp, "perIp");
        Objects.requireNonNull(dns, "dns");
        Objects.requireNonNull(relay, "relay");
        Objects.requireNonNull(store, "store");
        rules = Map.copyOf(rules);
    }

    /**
     * What an empty {@code <smtpshield/>} means: every limit and check off (but the session's maximum age), no exempt
     * networks, no trusted proxies, authenticated users exempt, memory store, no open relay allowed.
     */
    public static ShieldConfig defaults() {
        return DEFAULTS;
    }

    /** The settings of a rule: what the file says, or the element's {@link RuleElement#off()} when it is absent. */
    @SuppressWarnings("unchecked") // with(...) and the parser only put an element's own kind of settings under its name
    public <S extends RuleSettings> S rule(RuleElement<S> element) {
        return (S) rules.getOrDefault(element.name(), element.off());
    }

    /** This policy with {@code settings} for the rule of {@code element}. */
    public <S extends RuleSettings> ShieldConfig with(RuleElement<S> element, S settings) {
        Map<String, RuleSettings> changed = new LinkedHashMap<>(rules);
        changed.put(element.name(), settings);
        return new ShieldConfig(exempt, trustedProxies, perIp, dns, relay, store, changed);
    }

    public ShieldConfig with(Exemptions changed) {
        return new ShieldConfig(changed, trustedProxies, perIp, dns, relay, store, rules);
    }

    /** This policy with {@code proxies} as its {@code <trustedProxies>}. */
    public ShieldConfig withTrustedProxies(NetworkSet proxies) {
        return new ShieldConfig(exempt, proxies, perIp, dns, relay, store, rules);
    }

    /** Whether the PROXY-protocol header of a connection from {@code peer} is believed. */
    public boolean isTrustedProxy(InetAddress peer) {
        return trustedProxies.contains(peer);
    }

    public ShieldConfig with(PerIpSettings changed) {
        return new ShieldConfig(exempt, trustedProxies, changed, dns, relay, store, rules);
    }

    public ShieldConfig with(DnsSettings changed) {
        return new ShieldConfig(exempt, trustedProxies, perIp, changed, relay, store, rules);
    }

    public ShieldConfig with(StoreSettings changed) {
        return new ShieldConfig(exempt, trustedProxies, perIp, dns, relay, changed, rules);
    }
}
