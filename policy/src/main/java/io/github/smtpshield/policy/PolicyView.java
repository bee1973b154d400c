package io.github.smtpshield.policy;

import io.github.smtpshield.policy.config.ConfigValues;
import io.github.smtpshield.policy.config.Durations;
import io.github.smtpshield.policy.config.RedisUri;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.config.StoreSettings;
import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.rules.RuleType;
import io.github.smtpshield.policy.rules.Rules;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The effective {@code smtpshield.xml} as a tree of maps (for JSON): the file's element and attribute names,
 * durations as the file writes them ({@code 1h}), sizes in bytes, every default filled in, every rule of the registry
 * in its section. A Redis URI is shown without its credentials.
 */
final class PolicyView {
    private PolicyView() {}

    static Map<String, Object> of(ShieldConfig config) {
        Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
        sections.put("exempt", exempt(config));
        sections.put("perIp", perIp(config));
        sections.put("session", new LinkedHashMap<>());
        sections.put("dns", dns(config));
        sections.put(
                "relay",
                new LinkedHashMap<>(Map.of("allowOpenRelay", config.relay().allowOpenRelay())));
        sections.put("store", store(config.store()));
        for (RuleType<?> type : Rules.types()) {
            sections.computeIfAbsent(type.element().section(), section -> new LinkedHashMap<>())
                    .put(type.element().name(), config.rule(type.element()).view());
        }
        Map<String, Object> view = new LinkedHashMap<>();
        sections.forEach((name, section) -> {
            view.put(name, section);
            if (name.equals("exempt")) {
                view.put(
                        "trustedProxies",
                        config.trustedProxies().ranges().stream()
                                .map(IpPrefix::cidr)
                                .toList());
            }
        });
        return view;
    }

    private static Map<String, Object> exempt(ShieldConfig config) {
        Map<String, Object> exempt = new LinkedHashMap<>();
        exempt.put(
                "networks",
                config.exempt().networks().ranges().stream().map(IpPrefix::cidr).toList());
        exempt.put("authenticatedUsers", config.exempt().authenticatedUsers());
        return exempt;
    }

    private static Map<String, Object> perIp(ShieldConfig config) {
        Map<String, Object> perIp = new LinkedHashMap<>();
        perIp.put("ipv4Prefix", config.perIp().ipv4Prefix());
        perIp.put("ipv6Prefix", config.perIp().ipv6Prefix());
        perIp.put("maxTrackedClients", config.perIp().maxTrackedClients());
        return perIp;
    }

    private static Map<String, Object> dns(ShieldConfig config) {
        Map<String, Object> dns = new LinkedHashMap<>();
        dns.put("timeout", Durations.format(config.dns().timeout()));
        dns.put(
                "servers",
                config.dns().servers().stream().map(PolicyView::server).toList());
        return dns;
    }

    /** The Redis-only fields are left out for a memory store. */
    private static Map<String, Object> store(StoreSettings store) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("type", ConfigValues.text(store.type()));
        store.uri().ifPresent(uri -> view.put("uri", RedisUri.of(uri).withoutCredentials()));
        if (store.type() == StoreSettings.Type.REDIS) {
            view.put("cluster", store.cluster());
        }
        view.put("onFailure", ConfigValues.text(store.onFailure()));
        if (store.type() == StoreSettings.Type.REDIS) {
            view.put("timeout", Durations.format(store.timeout()));
            view.put("lease", Durations.format(store.lease()));
        }
        return view;
    }

    /** {@code 192.0.2.1:53}, {@code [2001:db8::1]:53} (RFC 5952): the DNS servers are IP literals, never names. */
    private static String server(InetSocketAddress server) {
        String host = IpPrefix.host(server.getAddress()).toString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getPort();
    }
}
