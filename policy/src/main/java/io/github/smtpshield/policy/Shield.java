package io.github.smtpshield.policy;

import io.github.smtpshield.policy.config.DnsSettings;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.dns.DnsClient;
import io.github.smtpshield.policy.dns.DnsJavaClient;
import io.github.smtpshield.policy.dns.ReverseDnsCheck;
import io.github.smtpshield.policy.dns.SenderDomainCheck;
import io.github.smtpshield.policy.dns.SenderDomainVerdict;
import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.rules.ClientReverseDns;
import io.github.smtpshield.policy.rules.ConnectionLimit;
import io.github.smtpshield.policy.rules.FailedCommandLimit;
import io.github.smtpshield.policy.rules.HarvestGuard;
import io.github.smtpshield.policy.rules.Limits;
import io.github.smtpshield.policy.rules.MessageRateLimit;
import io.github.smtpshield.policy.rules.MessageSizeLimit;
import io.github.smtpshield.policy.rules.RecipientLimit;
import io.github.smtpshield.policy.rules.SenderDomainInDns;
import io.github.smtpshield.policy.store.ClientCounters;
import io.github.smtpshield.policy.store.ClientStore;
import io.github.smtpshield.policy.store.StoreUnavailableException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

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
    private final FailedCommandLimit failedCommandLimit;
    private final RecipientLimit recipientLimit;
    private final MessageSizeLimit messageSizeLimit;
    private final SenderDomainInDns senderDomainInDns;
    private final ClientReverseDns clientReverseDns;
    private final Enforcement enforcement;

    /** With the DNS client {@link #dnsClient} makes of the configuration's {@code <dns>}. */
    public Shield(ShieldConfig config, ClientStore store, Enforcement enforcement) {
        this(config, store, enforcement, dnsClient(config.dns()));
    }

    /** @param dns the resolver of the DNS checks (rules 7 and 8) */
    public Shield(ShieldConfig config, ClientStore store, Enforcement enforcement, DnsClient dns) {
        this.config = config;
        this.store = store;
        this.enforcement = enforcement;
        this.connectionLimit = new ConnectionLimit(config.perIp().maxConcurrentConnections(), store, enforcement);
        this.messageRateLimit = new MessageRateLimit(config.perIp().maxMessagesPerHour(), store, enforcement);
        this.harvestGuard = new HarvestGuard(config.perIp().maxUnknownRecipients(), store, enforcement);
        this.failedCommandLimit = new FailedCommandLimit(config.session().maxFailedCommands(), enforcement);
        this.recipientLimit = new RecipientLimit(config.session().maxRecipientsPerMessage(), enforcement);
        this.messageSizeLimit = new MessageSizeLimit(config.session().maxMessageSize(), enforcement);
        this.senderDomainInDns = new SenderDomainInDns(
                config.dns().rejectUnknownSenderDomain(),
                new SenderDomainCheck(dns),
                config.dns().timeout(),
                enforcement);
        this.clientReverseDns = new ClientReverseDns(
                config.dns().rejectClientWithoutPtr(),
                new ReverseDnsCheck(dns),
                config.dns().timeout(),
                enforcement);
    }

    /**
     * The resolver of the DNS checks: the {@code <servers>} (or the system's resolvers) with the {@code <dns>}
     * timeout, when a DNS check is on; otherwise one that is never asked (so a host without resolvers can run the
     * shield with the DNS checks off).
     */
    public static DnsClient dnsClient(DnsSettings dns) {
        if (dns.rejectUnknownSenderDomain().enabled()
                || dns.rejectClientWithoutPtr().enabled()) {
            return new DnsJavaClient(dns.servers(), dns.timeout());
        }
        return (name, type) -> {
            throw new IllegalStateException("no DNS check is on: nothing should look up " + name);
        };
    }

    public ShieldConfig config() {
        return config;
    }

    public ClientStore store() {
        return store;
    }

    /** The counting key of an address: its /32 (IPv4) or /64 (IPv6) by default. */
    public IpPrefix keyOf(InetAddress address) {
        return IpPrefix.clientKey(
                address, config.perIp().ipv4Prefix(), config.perIp().ipv6Prefix());
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
        Optional<Refusal> refusal;
        try {
            refusal = connectionLimit.admit(client);
        } catch (StoreUnavailableException e) {
            refusal = storeUnavailable(Rule.MAX_CONCURRENT_CONNECTIONS, client, e);
        }
        if (refusal.isEmpty()) {
            // Answered at MAIL FROM; started now so that the answer is usually there by then.
            clientReverseDns.connected(client);
        }
        return refusal;
    }

    public void disconnected(ClientConnection client) {
        try {
            connectionLimit.release(client);
        } catch (StoreUnavailableException e) {
            // Nothing to refuse: a shared store gives the slot back once Redis answers again, or its lease ends it.
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

    /** What the store counts for {@code key} right now, read against the configured limits (for an operator). */
    public ClientCounters counters(IpPrefix key) {
        return store.counters(
                key,
                Limits.asInt(config.perIp().maxMessagesPerHour().value()),
                Limits.asInt(config.perIp().maxUnknownRecipients().value()),
                config.perIp().maxUnknownRecipients().window());
    }

    /** Exempt networks always; authenticated clients when {@code <authenticatedUsers>} is true. */
    public boolean isExempt(ClientConnection client) {
        return client.exemptNetwork()
                || (client.isAuthenticated() && config.exempt().authenticatedUsers());
    }

    /**
     * A command of the client was answered 4xx/5xx, other than {@code 452 4.5.3}. A refusal replaces that
     * command's reply, and the connection closes.
     */
    public Optional<Refusal> commandFailed(ClientConnection client) {
        if (isExempt(client)) {
            return Optional.empty();
        }
        return failedCommandLimit.commandFailed(client);
    }

    /** RCPT TO: may a message with {@code accepted} recipients so far have one more? Applies to every client. */
    public Optional<Refusal> recipient(ClientConnection client, int accepted) {
        return recipientLimit.recipient(client, accepted);
    }

    /** The message size EHLO advertises ({@code SIZE <bytes>}), if any. */
    public OptionalLong advertisedMessageSize() {
        return messageSizeLimit.advertised();
    }

    /** Whether {@code size} bytes are over the message size limit (observed or enforced). */
    public boolean exceedsMessageSize(long size) {
        return messageSizeLimit.exceeds(size);
    }

    /** MAIL FROM with {@code SIZE=declared}. Applies to every client. */
    public Optional<Refusal> declaredMessageSize(ClientConnection client, long declared) {
        return messageSizeLimit.declared(client, declared);
    }

    /**
     * DATA went over the size limit with {@code received} bytes: a refusal means the rest is to be discarded and
     * the refusal answered at the end of DATA. Ask once per message. Applies to every client.
     */
    public Optional<Refusal> messageSizeExceeded(ClientConnection client, long received) {
        return messageSizeLimit.received(client, received);
    }

    /**
     * MAIL FROM: the DNS checks, the client's PTR (looked up since connect) and the sender's domain (looked up now,
     * at the same time). The future completes normally within {@link #dnsCheckBound()} of this call: the adapter
     * may wait for it.
     *
     * @param senderDomain the domain of the sender address; empty for the null sender {@code <>}
     */
    public CompletableFuture<Optional<Refusal>> senderDns(ClientConnection client, Optional<String> senderDomain) {
        if (isExempt(client)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Optional<String> domain = senderDomain.filter(any -> senderDomainInDns.enabled());
        CompletableFuture<SenderDomainVerdict> domainVerdict = domain.map(senderDomainInDns::lookUp)
                .orElseGet(() -> CompletableFuture.completedFuture(SenderDomainVerdict.OK));
        return clientReverseDns
                .mailFrom(client)
                .thenCompose(noPtr -> noPtr.isPresent()
                        ? CompletableFuture.completedFuture(noPtr)
                        : domainVerdict.thenApply(
                                verdict -> domain.flatMap(name -> senderDomainInDns.judge(client, name, verdict))));
    }

    /**
     * The longest {@link #senderDns} takes: two DNS timeouts (the sender's domain needs up to two lookup rounds,
     * MX then A/AAAA; the PTR lookup runs meanwhile and was started earlier, with one timeout).
     */
    public Duration dnsCheckBound() {
        return senderDomainInDns.bound();
    }

    private Optional<Refusal> storeUnavailable(Rule rule, ClientConnection client, StoreUnavailableException e) {
        return enforcement.storeUnavailable(rule, config.store().onFailure(), client, e);
    }
}
