package io.github.smtpshield.policy;

import io.github.smtpshield.policy.config.ConfigValues;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.dns.ClientDns;
import io.github.smtpshield.policy.dns.DnsAnswer;
import io.github.smtpshield.policy.dns.DnsClient;
import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.rules.DnsblScreening;
import io.github.smtpshield.policy.rules.MessageRateLimit;
import io.github.smtpshield.policy.rules.NetworkBlockLimit;
import io.github.smtpshield.policy.rules.Rule;
import io.github.smtpshield.policy.rules.Rule.Handler;
import io.github.smtpshield.policy.rules.RuleContext;
import io.github.smtpshield.policy.rules.Rules;
import io.github.smtpshield.policy.rules.UnknownRecipientLimit;
import io.github.smtpshield.policy.rules.Violation;
import io.github.smtpshield.policy.store.AccountLock;
import io.github.smtpshield.policy.store.Block;
import io.github.smtpshield.policy.store.BlockChange;
import io.github.smtpshield.policy.store.ClientCounters;
import io.github.smtpshield.policy.store.ClientStore;
import io.github.smtpshield.policy.store.StoreUnavailableException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.xbill.DNS.Name;

/**
 * The policy as the adapters see it: SMTP events in ({@link #on}), refusals out; and the operator's view of it
 * (blocks, counters, the policy in force). One instance per server, shared by every listener, hook, mailet and
 * WebAdmin route.
 *
 * <p>It hands each event to the rules of the registry that handle it, in the registry's order, and applies in this
 * one place what is the same for every rule:
 * <ul>
 *   <li><b>exemptions</b>: an exempt network always, an authenticated client when {@code authenticatedUsers} is true,
 *       are not judged by the handlers that leave exempt clients alone;</li>
 *   <li><b>observe mode</b>, the security log and the metrics ({@link Enforcement});</li>
 *   <li><b>store failure</b>: when the store cannot decide (Redis down or slow), {@code <store onFailure>} decides:
 *       open lets the client through that rule, closed refuses it with {@link Enforcement#STORE_UNAVAILABLE}.</li>
 * </ul>
 * The first refusal answers the event. Rules that look something up (DNS) are all started at once, after the rules
 * that judge at once; their verdicts are then taken in the registry's order. An adapter that must not wait for them
 * on a shared thread starts them first ({@link #lookUp}) and sends the event once they are in.
 */
public final class Shield {
    private static final CompletableFuture<Optional<Refusal>> NO_REFUSAL =
            CompletableFuture.completedFuture(Optional.empty());
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /** The longest login name the account locks take: an address of RFC 5321's longest path. */
    private static final int LONGEST_ACCOUNT = 320;

    private final ShieldConfig config;
    private final ClientStore store;
    private final Enforcement enforcement;
    private final List<Rule> rules;
    private final Map<Class<?>, Handler<?>[]> handlers = new HashMap<>();
    /** The kinds of event some rule looks up for (DNS): for the others {@link #lookUp} has nothing to start. */
    private final Set<Class<?>> lookingUp = new HashSet<>();

    /** The lookups {@link #lookUp} started for the connection's next event, for {@link #on} to take over. */
    private static final SessionState<AtomicReference<Prepared>> PREPARED = SessionState.of(AtomicReference::new);

    /** With a resolver that fails at the first lookup: for a policy whose DNS checks are off. */
    public Shield(ShieldConfig config, ClientStore store, Enforcement enforcement) {
        this(config, store, enforcement, () -> {
            throw new IllegalStateException("no resolver: this shield was made without one");
        });
    }

    /** @param dns the resolver of the DNS checks, made when the first rule that looks up asks for it */
    public Shield(ShieldConfig config, ClientStore store, Enforcement enforcement, Supplier<DnsClient> dns) {
        this.config = config;
        this.store = store;
        this.enforcement = enforcement;
        this.rules =
                Rules.of(new RuleContext(config, store, new ClientDns(new LazyResolver(dns)), enforcement.metrics()));
        Map<Class<?>, List<Handler<?>>> byEvent = new HashMap<>();
        for (Rule rule : rules) {
            for (Handler<?> handler : rule.handlers()) {
                byEvent.computeIfAbsent(handler.event(), event -> new ArrayList<>())
                        .add(handler);
            }
        }
        byEvent.forEach((event, list) -> handlers.put(event, list.toArray(Handler<?>[]::new)));
        handlers.forEach((event, handling) -> {
            if (Arrays.stream(handling).anyMatch(handler -> handler.lookup() != null)) {
                lookingUp.add(event);
            }
        });
    }

    /**
     * Whether an event of this kind may need lookups: when not, {@link #lookUp} completes at once, so an adapter need
     * not build the event to ask (with the DNS checks off, no command is parsed twice).
     */
    public boolean looksUp(Class<? extends SmtpEvent> kind) {
        return lookingUp.contains(kind);
    }

    public ShieldConfig config() {
        return config;
    }

    /** Every rule of the registry, on or off, in the registry's order. */
    public List<Rule> rules() {
        return rules;
    }

    /** The rule of the registry of this class. */
    public <R extends Rule> R rule(Class<R> type) {
        return rules.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a rule of the registry: " + type));
    }

    /** A client connected (for a PROXY listener: the client the proxy reports). */
    public ClientConnection connection(InetAddress address) {
        IpPrefix key = IpPrefix.clientKey(
                address, config.perIp().ipv4Prefix(), config.perIp().ipv6Prefix());
        return new ClientConnection(address, key, config.exempt().isExempt(address));
    }

    /**
     * A TCP peer of a {@code proxyRequired} listener, at connect, before its PROXY header is read: refused unless it is
     * one of {@code <trustedProxies>}.
     */
    public Optional<Refusal> proxyPeer(InetAddress peer) {
        return config.isTrustedProxy(peer) ? Optional.empty() : Optional.of(enforcement.untrustedProxy(peer));
    }

    /** Exempt networks always; authenticated clients when {@code <authenticatedUsers>} is true. */
    public boolean isExempt(ClientConnection client) {
        return client.exemptNetwork()
                || (client.isAuthenticated() && config.exempt().authenticatedUsers());
    }

    /**
     * An event of the client's session: the refusal that answers it, if any. The future is complete at once unless a
     * rule looks something up; it then completes normally within that rule's bound (DNS: the {@code <dns>} timeout), so
     * the adapter may wait for it. Lookups {@link #lookUp} started for this very event are taken over.
     */
    public CompletableFuture<Optional<Refusal>> on(ClientConnection client, SmtpEvent event) {
        Handler<?>[] handling = handlers.get(event.getClass());
        if (handling == null) {
            return NO_REFUSAL;
        }
        boolean exempt = isExempt(client);
        List<Pending> lookups = null;
        boolean prepared = false;
        for (Handler<?> handler : handling) {
            if (exempt && handler.scope() == Rule.Scope.NOT_EXEMPT) {
                continue;
            }
            if (handler.lookup() != null) {
                if (lookups == null) {
                    lookups = prepared(client, event);
                    prepared = lookups != null;
                    if (!prepared) {
                        lookups = new ArrayList<>(2);
                    }
                }
                if (!prepared) {
                    lookups.add(new Pending(handler.rule(), lookUp(handler, client, event)));
                }
                continue;
            }
            Optional<Refusal> refusal = judge(handler, client, event);
            if (refusal.isPresent()) {
                return CompletableFuture.completedFuture(afterRefusal(client, event, refusal));
            }
        }
        return lookups == null
                ? NO_REFUSAL
                : inOrder(client, event, lookups, 0).thenApply(refusal -> afterRefusal(client, event, refusal));
    }

    /**
     * A refusal answered: the rules that count refusals hear of it ({@link SmtpEvent.Refused}), and one of them may
     * answer in its place (a repeat offender's block).
     */
    private Optional<Refusal> afterRefusal(ClientConnection client, SmtpEvent event, Optional<Refusal> refusal) {
        if (refusal.isEmpty()
                || event instanceof SmtpEvent.Refused
                || event instanceof SmtpEvent.ClientBlocked
                || !handlers.containsKey(SmtpEvent.Refused.class)) {
            return refusal;
        }
        Optional<Refusal> instead =
                on(client, new SmtpEvent.Refused(refusal.get())).join();
        return instead.isPresent() ? instead : refusal;
    }

    /**
     * Starts the lookups the event will need (DNS), for an adapter that must not hold a shared thread while they run:
     * it sends the event ({@link #on}) once the future is complete, and {@code on} then finds their verdicts in. The
     * future completes normally, within the rules' bounds; at once when the event needs no lookup, or when its
     * lookups were started already.
     */
    public CompletableFuture<Void> lookUp(ClientConnection client, SmtpEvent event) {
        if (!lookingUp.contains(event.getClass())) {
            return DONE;
        }
        Handler<?>[] handling = handlers.get(event.getClass());
        AtomicReference<Prepared> slot = client.state(PREPARED);
        Prepared started = slot.get();
        if (started != null && started.event().equals(event)) {
            return started.done();
        }
        boolean exempt = isExempt(client);
        List<Pending> lookups = new ArrayList<>(2);
        for (Handler<?> handler : handling) {
            if (handler.lookup() != null && !(exempt && handler.scope() == Rule.Scope.NOT_EXEMPT)) {
                lookups.add(new Pending(handler.rule(), lookUp(handler, client, event)));
            }
        }
        if (lookups.isEmpty()) {
            return DONE;
        }
        CompletableFuture<Void> done =
                CompletableFuture.allOf(lookups.stream().map(Pending::verdict).toArray(CompletableFuture<?>[]::new));
        slot.set(new Prepared(event, List.copyOf(lookups), done));
        return done;
    }

    /** The lookups started for this event by {@link #lookUp}, taken over; null when none were. */
    private static List<Pending> prepared(ClientConnection client, SmtpEvent event) {
        Prepared started = client.state(PREPARED).getAndSet(null);
        return started != null && started.event().equals(event) ? new ArrayList<>(started.lookups()) : null;
    }

    /** Lookups started ahead of their event. */
    private record Prepared(SmtpEvent event, List<Pending> lookups, CompletableFuture<Void> done) {}

    /** An event with nothing to answer (a disconnect, an accepted message): the rules count it. */
    public void note(ClientConnection client, SmtpEvent event) {
        on(client, event).join();
    }

    /** A lookup under way, and the rule whose verdict it will be. */
    private record Pending(Rule rule, CompletableFuture<Optional<Violation>> verdict) {}

    private CompletableFuture<Optional<Refusal>> inOrder(
            ClientConnection client, SmtpEvent event, List<Pending> lookups, int next) {
        if (next == lookups.size()) {
            return NO_REFUSAL;
        }
        CompletableFuture<Optional<Violation>> verdict = lookups.get(next).verdict();
        if (verdict.isDone() && !verdict.isCompletedExceptionally()) {
            // An answer from the cache, as most are: judged here, without a stage per lookup.
            return refuseOrNext(client, event, lookups, next, verdict.join());
        }
        return verdict.thenCompose(violation -> refuseOrNext(client, event, lookups, next, violation));
    }

    private CompletableFuture<Optional<Refusal>> refuseOrNext(
            ClientConnection client, SmtpEvent event, List<Pending> lookups, int next, Optional<Violation> violation) {
        Optional<Refusal> refusal =
                violation.flatMap(found -> enforcement.refuse(lookups.get(next).rule(), client, event, found));
        return refusal.isPresent()
                ? CompletableFuture.completedFuture(refusal)
                : inOrder(client, event, lookups, next + 1);
    }

    @SuppressWarnings("unchecked") // handlers are indexed by the class of the events they take
    private static <E extends SmtpEvent> CompletableFuture<Optional<Violation>> lookUp(
            Handler<E> handler, ClientConnection client, SmtpEvent event) {
        return handler.lookup().lookUp(client, (E) event);
    }

    @SuppressWarnings("unchecked") // handlers are indexed by the class of the events they take
    private <E extends SmtpEvent> Optional<Refusal> judge(
            Handler<E> handler, ClientConnection client, SmtpEvent event) {
        try {
            Optional<Violation> violation = handler.judge().judge(client, (E) event);
            Optional<Refusal> refusal =
                    violation.flatMap(found -> enforcement.refuse(handler.rule(), client, event, found));
            // A block started: the rules that count blocks (a network's) hear of it.
            violation.flatMap(Violation::started).ifPresent(block -> note(client, new SmtpEvent.ClientBlocked(block)));
            return refusal;
        } catch (StoreUnavailableException e) {
            return enforcement.storeUnavailable(handler.rule(), config.store().onFailure(), client, event, e);
        }
    }

    /**
     * The resolver, made at its first use: every rule that looks up shares it and its cache. Asked on every lookup, so
     * only its making locks.
     */
    private static final class LazyResolver implements DnsClient {
        private final Supplier<DnsClient> maker;
        private volatile DnsClient made;

        LazyResolver(Supplier<DnsClient> maker) {
            this.maker = maker;
        }

        @Override
        public CompletableFuture<DnsAnswer> lookup(Name name, int type) {
            return resolver().lookup(name, type);
        }

        @Override
        public Optional<DnsAnswer> known(Name name, int type) {
            return resolver().known(name, type);
        }

        private DnsClient resolver() {
            DnsClient resolver = made;
            if (resolver == null) {
                synchronized (this) {
                    resolver = made;
                    if (resolver == null) {
                        resolver = maker.get();
                        made = resolver;
                    }
                }
            }
            return resolver;
        }
    }

    // --- what an operator sees and does ----------------------------------------------------------------------------

    /**
     * Reads an operator's address or CIDR as the key its clients are counted under (IPv4 /32 and IPv6 /64 by
     * default); it is never looked up in DNS.
     *
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    public OperatorTarget target(String ipOrCidr) {
        IpPrefix key = networkKey(ipOrCidr)
                .orElseGet(() -> IpPrefix.parse(
                        ipOrCidr, config.perIp().ipv4Prefix(), config.perIp().ipv6Prefix()));
        int slash = ipOrCidr.indexOf('/');
        boolean exempt = IpPrefix.address(slash < 0 ? ipOrCidr : ipOrCidr.substring(0, slash))
                .map(config.exempt()::isExempt)
                .orElse(false);
        return new OperatorTarget(ipOrCidr, key, exempt);
    }

    /** A CIDR as wide as the {@code <bans><networks>} count networks: the key of a network's block. */
    private Optional<IpPrefix> networkKey(String cidr) {
        if (!config.rule(NetworkBlockLimit.ELEMENT).enabled() || cidr.indexOf('/') < 0) {
            return Optional.empty();
        }
        IpPrefix exact = IpPrefix.parse(cidr);
        return rule(NetworkBlockLimit.class).isNetwork(exact) ? Optional.of(exact) : Optional.empty();
    }

    /**
     * A login name as the account locks count it: case-folded.
     *
     * @throws IllegalArgumentException for an empty name, one over 320 characters, or one with spaces or control
     *     characters
     */
    public static String account(String name) {
        if (name.isEmpty()
                || name.length() > LONGEST_ACCOUNT
                || name.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException(
                    "not a login name (1 to " + LONGEST_ACCOUNT + " characters, no spaces nor control characters)");
        }
        return caseFolded(name);
    }

    /** A login name as the account locks count it, checked or not: {@code Alice@Example.COM} is {@code alice@example.com}. */
    public static String caseFolded(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** Every active account lock ({@code <bans><accountAuthFailures>}), oldest first. */
    public List<AccountLock> accountLocks() {
        return store.accountLocks();
    }

    /**
     * Lifts the lock of the login name (case-folded) and clears its count: true if a lock was lifted.
     *
     * @throws IllegalArgumentException for a name that is no login name ({@link #account})
     */
    public boolean unlock(String name) {
        return store.unlock(account(name));
    }

    /** Every active block, oldest first. */
    public List<Block> blocks() {
        return store.blocks();
    }

    /** How long an operator's block lasts when the operator gives no duration: the harvest rule's {@code blockFor}. */
    public Duration defaultBlockDuration() {
        return config.rule(UnknownRecipientLimit.ELEMENT).blockFor();
    }

    /**
     * An operator's block of the target's key, replacing any block of it.
     *
     * @throws ExemptClientException when the target is in an exempt network: exempt clients are never blocked
     */
    public BlockChange block(OperatorTarget target, String reason, Duration forHowLong) throws ExemptClientException {
        if (target.exempt()) {
            throw new ExemptClientException(target.text() + " is in an exempt network ("
                    + config.exempt().networks() + "): exempt clients are never blocked");
        }
        return store.block(target.key(), reason, forHowLong);
    }

    /** Lifts the target key's block and clears its unknown-recipient count: true if a block was lifted. */
    public boolean unblock(OperatorTarget target) {
        return store.unblock(target.key());
    }

    /** What the store counts for the target's key right now, read against the configured limits. */
    public ClientCounters counters(OperatorTarget target) {
        return store.counters(
                target.key(),
                Rule.storeLimit(config.rule(MessageRateLimit.ELEMENT).value()),
                Rule.storeLimit(config.rule(UnknownRecipientLimit.ELEMENT).value()),
                config.rule(UnknownRecipientLimit.ELEMENT).window());
    }

    /**
     * The DNSBL screening of the address as a client connecting from it would get it now: from the pass cache, or
     * looked up in every zone (a pass found so is not remembered). Completes within the {@code <dns timeout>}; empty when
     * the screening is off.
     */
    public Optional<CompletableFuture<DnsblScreening.Result>> screening(InetAddress address) {
        DnsblScreening screening = rule(DnsblScreening.class);
        return screening.enabled() ? Optional.of(screening.screen(address, false)) : Optional.empty();
    }

    /** What this node refused in the last hour, per minute, rule and client. */
    public RefusalHistory refusals() {
        return enforcement.history();
    }

    /** Whether the store answers now: it is asked for its blocks, as an operator would. */
    public StoreHealth storeHealth() {
        String type = ConfigValues.text(config.store().type());
        long start = System.nanoTime();
        try {
            store.blocks();
            return new StoreHealth(type, true, Duration.ofNanos(System.nanoTime() - start), "");
        } catch (StoreUnavailableException e) {
            return new StoreHealth(type, false, Duration.ofNanos(System.nanoTime() - start), e.getMessage());
        }
    }

    /** The policy in force, as {@code GET /smtpshield/policy} shows it: a tree of maps, lists and values. */
    public Map<String, Object> policyView() {
        return PolicyView.of(config);
    }
}
