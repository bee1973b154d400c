package io.github.smtpshield.policy;

import java.net.InetAddress;
import java.util.Optional;

import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.net.ClientKey;
import io.github.smtpshield.policy.rules.ConnectionLimit;
import io.github.smtpshield.policy.rules.HarvestGuard;
import io.github.smtpshield.policy.rules.MessageRateLimit;
import io.github.smtpshield.policy.store.ClientStore;
import io.github.smtpshield.policy.store.StoreUnavailableException;

/**
 * The policy as the adapters see it: SMTP events in, refusals out. It decides who is exempt (an exempt network
 * always, an authenticated client when {@code authenticatedUsers} is true) and hands each event to the rule that
 * owns it. When the store cannot decide (Redis down or slow), {@code <store onFailure>} decides: open lets the
 * client through, closed refuses it with {@link Refusal#STORE_UNAVAILABLE}. One instance per server, shared by
 * every listener, hook, mailet and WebAdmin route.
 */
public final class Shield {
    private final ShieldConfig config;
    private final ClientStore store;
    private final ConnectionLimit connectionLimit;
    private final MessageRateLimit messageRateLimit;
    private final HarvestGuard harvestGuard;
    private final Enforcement enforcement;

    public Shield(ShieldConfig config, ClientStore store, Enforcement enforcement) {
        this.config = config;
        this.store = store;
        this.enforcement = enforcement;
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
        try {
            return connectionLimit.admit(client);
        } catch (StoreUnavailableException e) {
            return storeUnavailable(Rule.MAX_CONCURRENT_CONNECTIONS, client, e);
        }
    }

    public void disconnected(ClientConnection client) {
        try {
            connectionLimit.release(client);
        } catch (StoreUnavailableException e) {
            // Nothing to refuse: a shared store forgets the connection by itself when its lease ends.
            storeUnavailable(Rule.MAX_CONCURRENT_CONNECTIONS, client, e);
        }
    }

    /** MAIL FROM: may the client start one more message? */
    public Optional<Refusal> mailFrom(ClientConnection client) {
        if (isExempt(client)) {
            return Optional.empty();
        }
        try {
            return messageRateLimit.mailFrom(client);
        } catch (StoreUnavailableException e) {
            return storeUnavailable(Rule.MAX_MESSAGES_PER_HOUR, client, e);
        }
    }

    /** A message of the client was accepted for delivery. */
    public void messageAccepted(ClientConnection client) {
        if (isExempt(client)) {
            return;
        }
        try {
            messageRateLimit.messageAccepted(client);
        } catch (StoreUnavailableException e) {
            storeUnavailable(Rule.MAX_MESSAGES_PER_HOUR, client, e);
        }
    }

    /** A recipient of the client was answered "unknown user". */
    public Optional<Refusal> unknownRecipient(ClientConnection client) {
        if (isExempt(client)) {
            return Optional.empty();
        }
        try {
            return harvestGuard.unknownRecipient(client);
        } catch (StoreUnavailableException e) {
            return storeUnavailable(Rule.MAX_UNKNOWN_RECIPIENTS, client, e);
        }
    }

    /** Exempt networks always; authenticated clients when {@code <authenticatedUsers>} is true. */
    public boolean isExempt(ClientConnection client) {
        return client.exemptNetwork() || (client.isAuthenticated() && config.exempt().authenticatedUsers());
    }

    private Optional<Refusal> storeUnavailable(Rule rule, ClientConnection client, StoreUnavailableException e) {
        return enforcement.storeUnavailable(rule, config.store().onFailure(), client, e);
    }
}
