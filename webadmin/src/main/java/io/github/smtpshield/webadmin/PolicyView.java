package io.github.smtpshield.webadmin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.smtpshield.policy.config.Check;
import io.github.smtpshield.policy.config.DnsSettings;
import io.github.smtpshield.policy.config.Exemptions;
import io.github.smtpshield.policy.config.HarvestLimit;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.config.PerIpLimits;
import io.github.smtpshield.policy.config.RedisUri;
import io.github.smtpshield.policy.config.SessionLimits;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.config.StoreSettings;
import io.github.smtpshield.policy.net.IpPrefix;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;

/**
 * The effective {@code smtpshield.xml} as JSON, with the file's element names, durations written as the file
 * writes them ({@code 1h}), sizes in bytes, and every default filled in. A Redis URI is shown without its
 * credentials.
 */
public record PolicyView(Exempt exempt, PerIp perIp, Session session, Dns dns, Relay relay, Store store) {

    static PolicyView of(ShieldConfig config) {
        Exemptions exempt = config.exempt();
        PerIpLimits perIp = config.perIp();
        SessionLimits session = config.session();
        DnsSettings dns = config.dns();
        StoreSettings store = config.store();
        return new PolicyView(
                new Exempt(
                        exempt.networks().ranges().stream().map(IpPrefix::cidr).toList(), exempt.authenticatedUsers()),
                new PerIp(
                        perIp.ipv4Prefix(),
                        perIp.ipv6Prefix(),
                        perIp.maxTrackedClients(),
                        LimitView.of(perIp.maxMessagesPerHour()),
                        LimitView.of(perIp.maxConcurrentConnections()),
                        HarvestView.of(perIp.maxUnknownRecipients())),
                new Session(
                        LimitView.of(session.maxFailedCommands()),
                        LimitView.of(session.maxRecipientsPerMessage()),
                        LimitView.of(session.maxMessageSize())),
                new Dns(
                        DurationText.format(dns.timeout()),
                        dns.servers().stream().map(PolicyView::server).toList(),
                        CheckView.of(dns.rejectUnknownSenderDomain()),
                        CheckView.of(dns.rejectClientWithoutPtr())),
                new Relay(config.relay().allowOpenRelay()),
                Store.of(store));
    }

    public record Exempt(List<String> networks, boolean authenticatedUsers) {}

    public record PerIp(
            int ipv4Prefix,
            int ipv6Prefix,
            long maxTrackedClients,
            LimitView maxMessagesPerHour,
            LimitView maxConcurrentConnections,
            HarvestView maxUnknownRecipients) {}

    public record Session(LimitView maxFailedCommands, LimitView maxRecipientsPerMessage, LimitView maxMessageSize) {}

    public record Dns(
            String timeout,
            List<String> servers,
            CheckView rejectUnknownSenderDomain,
            CheckView rejectClientWithoutPtr) {}

    public record Relay(boolean allowOpenRelay) {}

    /**
     * Where the per-client state lives.
     *
     * @param uri     the Redis URI without user and password; absent for a memory store, like the Redis-only fields
     * @param cluster whether the Redis is a Redis Cluster (the URI its seeds)
     * @param timeout the bound on one Redis decision
     * @param lease   how long a node's open connections count without the node renewing them
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Store(String type, String uri, Boolean cluster, String onFailure, String timeout, String lease) {
        static Store of(StoreSettings store) {
            boolean redis = store.type() == StoreSettings.Type.REDIS;
            return new Store(
                    lowerCase(store.type()),
                    store.uri()
                            .map(uri -> RedisUri.of(uri).withoutCredentials())
                            .orElse(null),
                    redis ? store.cluster() : null,
                    lowerCase(store.onFailure()),
                    redis ? DurationText.format(store.timeout()) : null,
                    redis ? DurationText.format(store.lease()) : null);
        }
    }

    /** A limit: {@code enabled} is false when it is absent or 0 in the file. */
    public record LimitView(boolean enabled, long limit, String mode) {
        static LimitView of(Limit limit) {
            return new LimitView(limit.enabled(), limit.value(), PolicyView.mode(limit.mode()));
        }
    }

    public record HarvestView(boolean enabled, long limit, String window, String blockFor, String mode) {
        static HarvestView of(HarvestLimit limit) {
            return new HarvestView(
                    limit.enabled(),
                    limit.value(),
                    DurationText.format(limit.window()),
                    DurationText.format(limit.blockFor()),
                    PolicyView.mode(limit.mode()));
        }
    }

    public record CheckView(boolean enabled, String mode) {
        static CheckView of(Check check) {
            return new CheckView(check.enabled(), PolicyView.mode(check.mode()));
        }
    }

    private static String mode(Mode mode) {
        return lowerCase(mode);
    }

    private static String lowerCase(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** {@code 192.0.2.1:53}, {@code [2001:db8::1]:53} (RFC 5952): the DNS servers are IP literals, never names. */
    private static String server(InetSocketAddress server) {
        String host = IpPrefix.host(server.getAddress()).toString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getPort();
    }
}
