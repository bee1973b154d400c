package io.github.smtpshield.policy;

import java.net.InetAddress;
import java.util.Optional;

import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.net.ClientKey;
import io.github.smtpshield.policy.rules.ConnectionLimit;
import io.github.smtpshield.policy.rules.HarvestGuard;
import io.github.smtpshield.policy.rules.MessageRateLimit;
import io.github.smtpshield.policy.store.ClientCounters;
import io.github.smtpshield.policy.store.ClientStore;

/**
 * The policy as the adapters see it: SMTP events in, refusals out. It decides who is exempt (an exempt network
 * always, an authenticated client when {@code authenticatedUsers} is true) and hands each event to the rule that
 * owns it. One instance per server, shared by every listener, hook, mailet and WebAdmin route.
 */
public final class Shield {
    private final ShieldConfig config;
    private final ClientStore store;
    private final ConnectionLimit connectionLimit;
    private final MessageRateLimit messageRateLimit;
    private final HarvestGuard harvestGuard;

    public Shield(ShieldConfig config, ClientStore store, Enforcement enforcement) {
        this.config = config;
        this.store = store;
        this.connectionLimit = new ConnectionLimit(config.perIp().maxConcurrentConnections(), store, enforcement);
        this.messageRateLimit = new MessageRateLimit(config.perIp().maxMessagesPerHour(), store, enforcement);
        this.harvestGuard = new HarvestGuard(config.perIp().maxUnknownRecipients(), store, enforcement);
    }

    public ShieldConfig config() {
        return config;
    }

    public ClientStore store() {
        return store;
    }

    /** The counting key of an address: its /32 (IPv4) or /64 (IPv6) by default. */
    public ClientKey keyOf(InetAddress address) {
        return ClientKey.of(address, config.perIp().ipv4Prefix(), config.perIp().ipv6Prefix());
    }

    /** A client connected (for a PROXY listener: the client the proxy reports). */
    public ClientConnection connection(InetAddress address) {
        return new ClientConnection(address, keyOf(address), config.exempt().isExempt(address));
    }

    /** Connect: is the client admitted? An admitted connection must be {@link #disconnected} when it closes. */
    public Optional<Refusal> connect(ClientConnection client) {
        if (client.exemptNetwork()) {
            return Optional.empty();
        }
        return connectionLimit.admit(client);
    }

    public void disconnected(ClientConnection client) {
        connectionLimit.release(client);
    }

    /** MAIL FROM: may the client start one more message? */
    public Optional<Refusal> mailFrom(ClientConnection client) {
        if (isExempt(client)) {
            return Optional.empty();
        }
        return messageRateLimit.mailFrom(client);
    }

    /** A message of the client was accepted for delivery. */
    public void messageAccepted(ClientConnection client) {
        if (!isExempt(client)) {
            messageRateLimit.messageAccepted(client);
        }
    }

    /** A recipient of the client was answered "unknown user". */
    public Optional<Refusal> unknownRecipient(ClientConnection client) {
        if (isExempt(client)) {
            return Optional.empty();
        }
        return harvestGuard.unknownRecipient(client);
    }

    /** What the store counts for {@code key} right now, read against the configured limits (for an operator). */
    public ClientCounters counters(ClientKey key) {
        return store.counters(key, asInt(config.perIp().maxMessagesPerHour().value()),
            asInt(config.perIp().maxUnknownRecipients().value()), config.perIp().maxUnknownRecipients().window());
    }

    /** The store counts in ints: a limit beyond that is as good as none. */
    private static int asInt(long limit) {
        return (int) Math.min(limit, Integer.MAX_VALUE);
    }

    /** Exempt networks always; authenticated clients when {@code <authenticatedUsers>} is true. */
    public boolean isExempt(ClientConnection client) {
        return client.exemptNetwork() || (client.isAuthenticated() && config.exempt().authenticatedUsers());
    }
}
