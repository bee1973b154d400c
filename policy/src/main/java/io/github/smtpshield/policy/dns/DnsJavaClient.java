package io.github.smtpshield.policy.dns;

import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * {@link DnsClient} on dnsjava's asynchronous resolvers, with a small cache.
 *
 * <ul>
 * <li>Servers: the configured ones ({@code host:port}, IPv4 or IPv6), else the system's ({@link ResolverConfig}).
 * <li>Latency: one round over the servers, each given an equal share of the timeout; the timeout is also a
 *     hard bound on every lookup, whatever dnsjava does (its own timers are coarse).
 * <li>Cache: answers are kept for their TTL within the bounds of {@link AnswerLifetime}, temporary failures
 *     not at all; concurrent lookups of one question share one query.
 * </ul>
 */
public final class DnsJavaClient implements DnsClient {

    private static final Logger LOGGER = LoggerFactory.getLogger(DnsJavaClient.class);
    private static final int CACHE_ENTRIES = 10_000;

    private final Resolver resolver;
    private final Duration timeout;
    private final Cache<Question, DnsAnswer> cache;
    /** Lookups under way: concurrent lookups of one question share one query. */
    private final Map<Question, CompletableFuture<DnsAnswer>> inFlight = new ConcurrentHashMap<>();

    /**
     * @param servers the DNS servers to ask; empty for the system's resolvers
     * @param timeout the longest a lookup may take, all servers included
     */
    public DnsJavaClient(List<InetSocketAddress> servers, Duration timeout) {
        this(servers, timeout, Ticker.systemTicker());
    }

    /** With the clock of the cache, for tests of expiry that don't sleep. */
    DnsJavaClient(List<InetSocketAddress> servers, Duration timeout, Ticker ticker) {
        Objects.requireNonNull(servers, "servers");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("DNS timeout must be positive, got " + timeout);
        }
        this.timeout = timeout;
        this.resolver = resolver(servers.isEmpty() ? ResolverConfig.getCurrentConfig().servers() : servers, timeout);
        this.cache = Caffeine.newBuilder()
                .maximumSize(CACHE_ENTRIES)
                .expireAfter(new AnswerLifetime())
                .ticker(ticker)
                .build();
    }

    @Override
    public CompletableFuture<DnsAnswer> lookup(Name name, int type) {
        if (!name.isAbsolute()) {
            throw new IllegalArgumentException("relative name " + name);
        }
        Question question = new Question(name, type);
        DnsAnswer cached = cache.getIfPresent(question);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        CompletableFuture<DnsAnswer> created = new CompletableFuture<>();
        CompletableFuture<DnsAnswer> shared = inFlight.putIfAbsent(question, created);
        if (shared == null) {
            shared = created;
            query(question).thenAccept(answer -> {
                // In this order, a lookup finds the answer either in flight or in the cache, never neither
                if (!AnswerLifetime.of(answer).isZero()) {
                    cache.put(question, answer);
                }
                inFlight.remove(question, created);
                created.complete(answer);
            });
        }
        // A copy: a caller that cancels or completes its future must not touch the shared one
        return shared.copy();
    }

    /** Always completes normally, within the timeout (even if dnsjava throws instead of failing its future). */
    private CompletableFuture<DnsAnswer> query(Question question) {
        return CompletableFuture.completedFuture(question)
                .thenCompose(q -> resolver.sendAsync(Message.newQuery(Record.newRecord(q.name(), q.type(), DClass.IN))))
                .thenApply(response -> ResponseReader.read(response, question.type()))
                .exceptionally(failure -> failed(question, failure))
                .completeOnTimeout(DnsAnswer.timeout(), timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static DnsAnswer failed(Question question, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        LOGGER.debug("DNS lookup of {}/{} failed: {}", question.name(), Type.string(question.type()), cause.toString());
        return cause instanceof SocketTimeoutException || cause instanceof TimeoutException
                ? DnsAnswer.timeout()
                : DnsAnswer.servfail();
    }

    private static Resolver resolver(List<InetSocketAddress> servers, Duration timeout) {
        if (servers.isEmpty()) {
            throw new IllegalStateException("no DNS server configured, and none found in the system's configuration");
        }
        Duration perServer = timeout.dividedBy(servers.size());
        List<Resolver> resolvers = servers.stream().map(address -> {
            SimpleResolver simple = new SimpleResolver(address);
            simple.setTimeout(perServer);
            return (Resolver) simple;
        }).toList();
        ExtendedResolver extended = new ExtendedResolver(resolvers);
        // One try per server: a lookup that takes longer than the timeout is useless to an SMTP session anyway
        extended.setRetries(1);
        extended.setTimeout(timeout);
        return extended;
    }
}
