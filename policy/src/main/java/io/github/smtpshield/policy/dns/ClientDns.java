package io.github.smtpshield.policy.dns;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.smtpshield.policy.net.IpPrefix;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Name;

/**
 * Keeps each client's DNS trouble its own: the lookups the checks make for a client go through its own view of the
 * resolver ({@link #of}). An attacker chooses the names, and so how long their servers take to not answer; this
 * bounds what that buys it.
 *
 * <ul>
 * <li>An answer at hand (cached, or a failure of the name the resolver remembers) is given at once, to every
 *     client.
 * <li>A lookup of a question already on the network (asked for any client) joins that query: it costs no new query,
 *     so it takes no share. A busy relay's parallel sessions asking for one sender domain are one query.
 * <li>A client key has at most {@link #MAX_IN_FLIGHT} queries on the network at once; one more is answered
 *     {@link DnsAnswer.Status#TIMEOUT} at once (the checks answer {@code 450}).
 * <li>A client key whose lookup timed out or failed is remembered for {@link #REMEMBERED}: meanwhile every lookup of
 *     its that no cache answers is answered {@link DnsAnswer.Status#TIMEOUT} at once, without asking.
 * </ul>
 */
public final class ClientDns {

    /** Lookups of one client key on the network at once: a session needs at most four (PTR, MX, A, AAAA). */
    public static final int MAX_IN_FLIGHT = 8;
    /** How long a client key whose lookup timed out or failed gets its answers from memory only. */
    public static final Duration REMEMBERED = Duration.ofSeconds(30);

    private static final int MAX_REMEMBERED_CLIENTS = 100_000;

    private final DnsClient dns;
    private final Map<IpPrefix, Integer> inFlight = new ConcurrentHashMap<>();
    /** The queries on the network, by question: a lookup of one of them joins it. */
    private final Map<Question, CompletableFuture<DnsAnswer>> asked = new ConcurrentHashMap<>();

    private final Cache<IpPrefix, Boolean> troubled;

    public ClientDns(DnsClient dns) {
        this(dns, Ticker.systemTicker());
    }

    /** With the clock of the memory, for tests of expiry that don't sleep. */
    ClientDns(DnsClient dns, Ticker ticker) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.troubled = Caffeine.newBuilder()
                .maximumSize(MAX_REMEMBERED_CLIENTS)
                .expireAfterWrite(REMEMBERED)
                .ticker(ticker)
                .executor(Runnable::run)
                .build();
    }

    /** The resolver as the lookups made for {@code client} see it. */
    public DnsClient of(IpPrefix client) {
        Objects.requireNonNull(client, "client");
        return new DnsClient() {
            @Override
            public CompletableFuture<DnsAnswer> lookup(Name name, int type) {
                return ClientDns.this.lookup(client, name, type);
            }

            @Override
            public Optional<DnsAnswer> known(Name name, int type) {
                return dns.known(name, type);
            }
        };
    }

    /**
     * The resolver itself, for lookups whose names no client chooses (the operator's DNSBL zones): they count against
     * no client's share, and their trouble is no client's.
     */
    public DnsClient resolver() {
        return dns;
    }

    /** Whether the client key's DNS trouble is remembered now: its lookups are answered from memory only. */
    public boolean isTroubled(IpPrefix client) {
        return troubled.getIfPresent(client) != null;
    }

    @SuppressWarnings("FutureReturnValueIgnored") // the stage only keeps the count; the caller has the answer
    private CompletableFuture<DnsAnswer> lookup(IpPrefix client, Name name, int type) {
        Optional<DnsAnswer> known = dns.known(name, type);
        if (known.isPresent()) {
            return CompletableFuture.completedFuture(known.get());
        }
        Question question = new Question(name, type);
        CompletableFuture<DnsAnswer> underWay = asked.get(question);
        if (underWay != null) {
            return underWay.copy(); // a copy: a caller that completes its future must not touch the shared one
        }
        if (isTroubled(client) || !takeSlot(client)) {
            return CompletableFuture.completedFuture(DnsAnswer.timeout());
        }
        CompletableFuture<DnsAnswer> answer;
        try {
            answer = dns.lookup(name, type);
        } catch (RuntimeException e) {
            giveSlot(client);
            throw e;
        }
        asked.putIfAbsent(question, answer);
        answer.whenComplete((found, failure) -> {
            asked.remove(question, answer);
            giveSlot(client);
            if (failure != null || found.isTemporary()) {
                troubled.put(client, Boolean.TRUE);
            }
        });
        return answer.copy();
    }

    private boolean takeSlot(IpPrefix client) {
        boolean[] taken = {false};
        inFlight.compute(client, (key, count) -> {
            int current = count == null ? 0 : count;
            if (current >= MAX_IN_FLIGHT) {
                return count;
            }
            taken[0] = true;
            return current + 1;
        });
        return taken[0];
    }

    /** The entry goes with the last slot: the map holds only the keys with lookups under way. */
    private void giveSlot(IpPrefix client) {
        inFlight.computeIfPresent(client, (key, count) -> count <= 1 ? null : count - 1);
    }
}
