package io.github.smtpshield.policy.dns;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.smtpshield.policy.WarningThrottle;
import io.github.smtpshield.policy.config.Durations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * {@link DnsClient} speaking DNS through dnsjava's wire format, with a small cache.
 *
 * <ul>
 * <li>Servers: the configured ones ({@code host:port}, IPv4 or IPv6), else the system's ({@link ResolverConfig}).
 * <li>Latency: one round over the servers (the next one only when the previous failed to answer), each
 *     given an equal share of the timeout; the timeout is also a hard bound on every lookup.
 * <li>Threads: each query waits for its answer on a thread of the client's own, never on the caller's
 *     (see {@link DnsExchange} for why not on dnsjava's NIO client), and never in line behind another query:
 *     up to {@link #MAX_QUERIES} at once; beyond, a lookup is answered SERVFAIL at once.
 * <li>Cache: answers are kept for their TTL within the bounds of {@link AnswerLifetime}, temporary failures
 *     briefly; concurrent lookups of one question share one query.
 * </ul>
 */
public final class DnsJavaClient implements DnsClient {

    private static final Logger LOGGER = LoggerFactory.getLogger(DnsJavaClient.class);
    private static final int CACHE_ENTRIES = 10_000;
    /**
     * Queries on the network at once, each on its thread: none waits in line behind a server that never answers.
     * The per-client bounds of {@link ClientDns} keep one client from taking them all.
     */
    static final int MAX_QUERIES = 256;

    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

    private final List<InetSocketAddress> servers;
    private final Duration timeout;
    private final Duration timeoutPerServer;
    private final ExecutorService io;
    private final Cache<Question, DnsAnswer> cache;
    /** Lookups under way: concurrent lookups of one question share one query. */
    private final Map<Question, CompletableFuture<DnsAnswer>> inFlight = new ConcurrentHashMap<>();
    /** At most one WARN line a minute about lookups refused for want of a thread. */
    private final WarningThrottle busyWarnings = WarningThrottle.perMinute();

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
        Durations.requirePositive(timeout, "the DNS timeout");
        this.servers = List.copyOf(
                servers.isEmpty() ? ResolverConfig.getCurrentConfig().servers() : servers);
        if (this.servers.isEmpty()) {
            throw new IllegalStateException("no DNS server configured, and none found in the system's configuration");
        }
        this.timeout = timeout;
        this.timeoutPerServer = timeout.dividedBy(this.servers.size());
        this.io = ioThreads();
        this.cache = Caffeine.newBuilder()
                .maximumSize(CACHE_ENTRIES)
                .expireAfter(new AnswerLifetime())
                .ticker(ticker)
                // Upkeep on the reading thread: no hand-off to the common pool each time the read buffer fills.
                .executor(Runnable::run)
                .build();
    }

    @Override
    @SuppressWarnings(
            "FutureReturnValueIgnored") // the query's stage moves its answer to the cache; callers wait on the shared
    // future
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
            Optional<CompletableFuture<DnsAnswer>> query = query(question);
            if (query.isEmpty()) {
                // No thread free: not a failure of the name, so not remembered as one
                inFlight.remove(question, created);
                created.complete(DnsAnswer.servfail());
                return created.copy();
            }
            query.get().thenAccept(answer -> {
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

    @Override
    public Optional<DnsAnswer> known(Name name, int type) {
        return Optional.ofNullable(cache.getIfPresent(new Question(name, type)));
    }

    /** Always completes normally, within the timeout; empty when {@link #MAX_QUERIES} are under way already. */
    private Optional<CompletableFuture<DnsAnswer>> query(Question question) {
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<Message> asked;
        try {
            asked = CompletableFuture.supplyAsync(() -> ask(question, deadline), io);
        } catch (RejectedExecutionException busy) {
            long refused = busyWarnings.record();
            if (refused > 0) {
                LOGGER.warn(
                        "SMTP Shield: {} DNS queries are waiting for their answers; {} lookup(s) answered SERVFAIL"
                                + " at once since the last warning",
                        MAX_QUERIES,
                        refused);
            }
            return Optional.empty();
        }
        return Optional.of(asked.thenApply(response -> ResponseReader.read(response, question.type()))
                .exceptionally(failure -> failed(question, failure))
                .completeOnTimeout(DnsAnswer.timeout(), timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    /** One round over the servers: a server that answers, even SERVFAIL, ends it; one that fails passes to the next. */
    private Message ask(Question question, long deadline) {
        Message query = Message.newQuery(Record.newRecord(question.name(), question.type(), DClass.IN));
        query.addRecord(new OPTRecord(DnsExchange.UDP_PAYLOAD, 0, 0), Section.ADDITIONAL);
        IOException lastFailure = null;
        for (InetSocketAddress server : servers) {
            long serverDeadline = Math.min(deadline, System.nanoTime() + timeoutPerServer.toNanos());
            try {
                return DnsExchange.exchange(server, query, serverDeadline);
            } catch (IOException e) {
                LOGGER.debug(
                        "DNS server {} did not answer {}/{}: {}",
                        server,
                        question.name(),
                        Type.string(question.type()),
                        e.toString());
                lastFailure = e;
            }
        }
        throw new UncheckedIOException(lastFailure);
    }

    private static DnsAnswer failed(Question question, Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof UncheckedIOException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        LOGGER.debug("DNS lookup of {}/{} failed: {}", question.name(), Type.string(question.type()), cause.toString());
        return cause instanceof SocketTimeoutException ? DnsAnswer.timeout() : DnsAnswer.servfail();
    }

    /**
     * A thread per query under way, none waiting in line; daemon threads that go away when idle: a client nobody
     * closes costs nothing once unused.
     */
    private static ExecutorService ioThreads() {
        return new ThreadPoolExecutor(0, MAX_QUERIES, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "smtpshield-dns-" + THREAD_NUMBER.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }
}
