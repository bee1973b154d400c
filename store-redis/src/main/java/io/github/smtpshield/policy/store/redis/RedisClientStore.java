package io.github.smtpshield.policy.store.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.smtpshield.policy.net.ClientKey;
import io.github.smtpshield.policy.store.Admission;
import io.github.smtpshield.policy.store.Block;
import io.github.smtpshield.policy.store.BlockListener;
import io.github.smtpshield.policy.store.ClientCounters;
import io.github.smtpshield.policy.store.ClientStore;
import io.github.smtpshield.policy.store.Gcra;
import io.github.smtpshield.policy.store.HarvestVerdict;
import io.github.smtpshield.policy.store.StoreUnavailableException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

/**
 * The {@link ClientStore} of a cluster: per-client state in one Redis, shared by every James node, with the
 * semantics of the memory store.
 *
 * <p><b>What it keeps</b> (see {@code prelude.lua}): per client key, a hash of two GCRA timestamps and the block,
 * and a sorted set of the open connections of every node, each a lease that its node renews; plus an index of
 * blocks for listing. Each key carries a TTL set by the very script that writes it, so nothing outlives what it
 * counts (a Redis key without TTL once limited a Haraka site forever).
 *
 * <p><b>Atomicity</b>: each decision (connect, disconnect, MAIL, accepted message, unknown recipient, block,
 * unblock) is one Lua script, one round trip, atomic in Redis: no read-modify-write race between nodes. Times
 * are the deciding node's clock (keep the nodes on NTP: a skew of s shifts refills by s).
 *
 * <p><b>Connections survive a node crash</b>: a connection is counted as a lease ({@code lease}, default 2 min)
 * that its node renews every third of the lease. A node that dies stops renewing, so its connections stop
 * counting within the lease, without any other node cleaning up for it. The node remembers which of its
 * connection ids belong to which client key, so that {@link #disconnect} releases one of its own.
 *
 * <p><b>When Redis fails</b> (down, unreachable, slower than {@code timeout}): every method throws
 * {@link StoreUnavailableException} within the timeout, and the caller applies {@code onFailure}. Commands fail
 * fast while the connection is down; Lettuce reconnects in the background (backoff up to 2 s), and a store that
 * could not connect at start keeps trying on use, so it recovers by itself when Redis is back.
 *
 * <p><b>Limits</b>: memory in Redis is bounded by the keys' TTLs (an hour of message budget, the harvest window,
 * blocks plus one day to report their end, leases). Standalone and Sentinel Redis ({@code redis://},
 * {@code rediss://}, {@code redis-sentinel://}, {@code redis-socket://}); not Redis Cluster, whose slots would
 * split a client's keys from the block index.
 */
public final class RedisClientStore implements ClientStore {

    /** Every key of the store starts with it. */
    public static final String PREFIX = "smtpshield:";
    static final String BLOCK_INDEX = PREFIX + "blocks";

    private static final Logger LOG = LoggerFactory.getLogger(RedisClientStore.class);
    private static final Duration RECONNECT_AT_MOST_EVERY = Duration.ofSeconds(1);
    private static final int RENEWALS_PER_SCRIPT = 500;

    private static final Script CONNECT = Script.named("connect");
    private static final Script RELEASE = Script.named("release");
    private static final Script RENEW = Script.named("renew");
    private static final Script BUDGET = Script.named("budget");
    private static final Script MESSAGE = Script.named("message");
    private static final Script UNKNOWN = Script.named("unknown");
    private static final Script BLOCK_GET = Script.named("block_get");
    private static final Script BLOCK_SET = Script.named("block_set");
    private static final Script UNBLOCK = Script.named("unblock");
    private static final Script BLOCKS = Script.named("blocks");
    private static final Script COUNTERS = Script.named("counters");

    private final RedisURI uri;
    private final ClientResources resources;
    private final RedisClient client;
    private final Clock clock;
    private final BlockListener listener;
    private final long leaseMillis;
    private final String node = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong connectionSequence = new AtomicLong();
    /** This node's connection ids per client key: the leases it renews and releases. */
    private final ConcurrentMap<ClientKey, ConcurrentLinkedDeque<String>> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService renewer;
    private final ReentrantLock connecting = new ReentrantLock();
    private final AtomicLong nextRenewalWarning = new AtomicLong(System.nanoTime());
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile long nextConnectAttempt = System.nanoTime();
    private volatile boolean closed;

    private RedisClientStore(Builder builder) {
        this.clock = builder.clock;
        this.listener = builder.listener;
        this.leaseMillis = builder.lease.toMillis();
        this.uri = RedisURI.create(builder.uri);
        uri.setTimeout(builder.timeout);
        this.resources = ClientResources.builder()
            .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
            .build();
        this.client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
            .protocolVersion(ProtocolVersion.RESP2)
            .autoReconnect(true)
            // While the link is down, fail at once instead of queueing until the timeout.
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(SocketOptions.builder().connectTimeout(builder.timeout).keepAlive(true).build())
            .timeoutOptions(TimeoutOptions.enabled(builder.timeout))
            .build());
        Duration renewEvery = builder.renewEvery != null ? builder.renewEvery : builder.lease.dividedBy(3);
        this.renewer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "smtpshield-redis-leases");
            thread.setDaemon(true);
            return thread;
        });
        renewer.scheduleWithFixedDelay(this::renewLeases, renewEvery.toMillis(), renewEvery.toMillis(), TimeUnit.MILLISECONDS);
        try {
            commands();
            LOG.info("SMTP Shield: per-IP store in Redis at {} (node {}, lease {}, timeout {})",
                redacted(), node, builder.lease, builder.timeout);
        } catch (StoreUnavailableException e) {
            LOG.warn("SMTP Shield: Redis at {} is not reachable yet ({}); the store keeps trying", redacted(), e.getMessage());
        }
    }

    /** A store on the Redis of {@code uri} ({@code redis://host:port}, {@code rediss://}, Sentinel, socket). */
    public static Builder builder(String uri) {
        return new Builder(uri);
    }

    @Override
    public Admission tryConnect(ClientKey key, int maxConcurrent) {
        String id = node + ":" + connectionSequence.incrementAndGet();
        long now = clock.millis();
        List<Object> reply = run(CONNECT, keys(state(key), connections(key), BLOCK_INDEX),
            num(now), num(maxConcurrent), id, num(leaseMillis), key.toString());
        String verdict = (String) reply.get(0);
        if (verdict.equals("BLOCKED")) {
            return Admission.blocked(block(key, reply, 1));
        }
        reportEnded(key, reply, 1);
        if (verdict.equals("FULL")) {
            return Admission.TOO_MANY_CONNECTIONS;
        }
        held.compute(key, (k, ids) -> {
            ConcurrentLinkedDeque<String> mine = ids == null ? new ConcurrentLinkedDeque<>() : ids;
            mine.push(id);
            return mine;
        });
        return Admission.ADMITTED;
    }

    @Override
    public void disconnect(ClientKey key) {
        String[] released = {null};
        held.computeIfPresent(key, (k, ids) -> {
            released[0] = ids.poll();
            return ids.isEmpty() ? null : ids;
        });
        if (released[0] != null) {
            // Should this fail, the lease, no longer renewed, ends the count within the lease.
            run(RELEASE, keys(connections(key)), num(clock.millis()), released[0]);
        }
    }

    @Override
    public boolean messageBudgetAvailable(ClientKey key, int maxPerHour) {
        if (maxPerHour <= 0) {
            return true;
        }
        Gcra rate = Gcra.inMillis(maxPerHour, Duration.ofHours(1));
        return runForNumber(BUDGET, keys(state(key)), num(clock.millis()), num(rate.window()), num(rate.interval())) == 1;
    }

    @Override
    public void recordMessage(ClientKey key, int maxPerHour) {
        if (maxPerHour <= 0) {
            return;
        }
        Gcra rate = Gcra.inMillis(maxPerHour, Duration.ofHours(1));
        runForNumber(MESSAGE, keys(state(key)), num(clock.millis()), num(rate.interval()));
    }

    @Override
    public HarvestVerdict recordUnknownRecipient(ClientKey key, int limit, Duration window, Duration blockFor, boolean startBlock) {
        if (limit <= 0) {
            return activeBlock(key).isPresent() ? HarvestVerdict.ALREADY_BLOCKED : HarvestVerdict.UNDER_LIMIT;
        }
        Gcra rate = Gcra.inMillis(limit, window);
        long blockMillis = positive(blockFor).toMillis();
        long now = clock.millis();
        List<Object> reply = run(UNKNOWN, keys(state(key), BLOCK_INDEX),
            num(now), num(rate.window()), num(rate.interval()), num(blockMillis), startBlock ? "1" : "0", key.toString());
        HarvestVerdict verdict = HarvestVerdict.valueOf((String) reply.get(0));
        reportEnded(key, reply, 1);
        if (verdict == HarvestVerdict.BLOCK_STARTED) {
            listener.blockStarted(new Block(key, Block.HARVEST, Instant.ofEpochMilli(now), Instant.ofEpochMilli(now + blockMillis)));
        }
        return verdict;
    }

    @Override
    public Optional<Block> activeBlock(ClientKey key) {
        List<Object> reply = run(BLOCK_GET, keys(state(key), BLOCK_INDEX), num(clock.millis()), key.toString());
        if (reply.isEmpty()) {
            return Optional.empty();
        }
        Block block = block(key, reply, 1);
        if (reply.get(0).equals("E")) {
            listener.blockExpired(block);
            return Optional.empty();
        }
        return Optional.of(block);
    }

    @Override
    public List<Block> blocks() {
        List<Object> reply = run(BLOCKS, keys(BLOCK_INDEX), num(clock.millis()), PREFIX);
        List<Block> active = new ArrayList<>();
        for (int i = 0; i < reply.size(); i += 5) {
            ClientKey key = ClientKey.parse((String) reply.get(i + 1));
            Block block = block(key, reply, i + 2);
            if (reply.get(i).equals("E")) {
                listener.blockExpired(block);
            } else {
                active.add(block);
            }
        }
        active.sort(Comparator.comparing(Block::since));
        return List.copyOf(active);
    }

    @Override
    public Block block(ClientKey key, String reason, Duration forHowLong) {
        Instant now = Instant.ofEpochMilli(clock.millis());
        Block block = new Block(key, reason, now, now.plus(positive(forHowLong)));
        run(BLOCK_SET, keys(state(key), BLOCK_INDEX), num(now.toEpochMilli()), reason,
            num(block.since().toEpochMilli()), num(block.until().toEpochMilli()), key.toString());
        listener.blockStarted(block);
        return block;
    }

    @Override
    public boolean unblock(ClientKey key) {
        long now = clock.millis();
        List<Object> reply = run(UNBLOCK, keys(state(key), BLOCK_INDEX), num(now), key.toString());
        if (reply.isEmpty()) {
            return false;
        }
        Block lifted = block(key, reply, 0);
        if (lifted.activeAt(Instant.ofEpochMilli(now))) {
            listener.blockLifted(lifted);
            return true;
        }
        listener.blockExpired(lifted);
        return false;
    }

    @Override
    public ClientCounters counters(ClientKey key, int maxMessagesPerHour, int maxUnknownRecipients, Duration window) {
        long now = clock.millis();
        List<Object> reply = run(COUNTERS, keys(state(key), connections(key)), num(now));
        int messages = 0;
        int messagesLeft = -1;
        if (maxMessagesPerHour > 0) {
            messages = Gcra.inMillis(maxMessagesPerHour, Duration.ofHours(1)).count(millis(reply.get(0)), now);
            messagesLeft = Math.max(0, maxMessagesPerHour - messages);
        }
        int unknownRecipients = maxUnknownRecipients <= 0 ? 0 : Gcra.inMillis(maxUnknownRecipients, window).count(millis(reply.get(1)), now);
        int open = (int) (long) (Long) reply.get(2);
        Optional<Block> block = Optional.empty();
        if (!"".equals(reply.get(5)) && millis(reply.get(5)) > now) {
            block = Optional.of(block(key, reply, 3));
        }
        return new ClientCounters(key, open, messages, messagesLeft, unknownRecipients, block);
    }

    /**
     * Renews the leases of this node's open connections; runs every third of the lease. A failure is retried at
     * the next round: the leases only lapse if Redis stays out of reach for a whole lease.
     */
    void renewLeases() {
        List<String> keys = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        held.forEach((key, mine) -> mine.forEach(id -> {
            keys.add(connections(key));
            ids.add(id);
        }));
        try {
            for (int from = 0; from < keys.size(); from += RENEWALS_PER_SCRIPT) {
                int to = Math.min(keys.size(), from + RENEWALS_PER_SCRIPT);
                long now = clock.millis();
                List<String> args = new ArrayList<>(to - from + 2);
                args.add(num(now));
                args.add(num(now + leaseMillis));
                args.addAll(ids.subList(from, to));
                runForNumber(RENEW, keys.subList(from, to).toArray(String[]::new), args.toArray(String[]::new));
            }
        } catch (StoreUnavailableException e) {
            long next = nextRenewalWarning.get();
            if (System.nanoTime() - next >= 0 && nextRenewalWarning.compareAndSet(next, System.nanoTime() + TimeUnit.MINUTES.toNanos(1))) {
                LOG.warn("SMTP Shield: could not renew the leases of {} open connections in Redis: {}", ids.size(), e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.error("SMTP Shield: renewing the connection leases failed", e);
        }
    }

    /** Connections this node holds (and renews), for tests. */
    int heldConnections() {
        return held.values().stream().mapToInt(ConcurrentLinkedDeque::size).sum();
    }

    /**
     * Stops renewing, releases this node's connections (best effort: otherwise their leases end them) and closes
     * the client.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        renewer.shutdownNow();
        List<String> keys = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        held.forEach((key, mine) -> mine.forEach(id -> {
            keys.add(connections(key));
            ids.add(id);
        }));
        held.clear();
        if (!keys.isEmpty() && connection != null) {
            try {
                List<String> args = new ArrayList<>();
                args.add(num(clock.millis()));
                args.addAll(ids);
                runForNumber(RELEASE, keys.toArray(String[]::new), args.toArray(String[]::new));
            } catch (RuntimeException e) {
                LOG.info("SMTP Shield: could not release {} connections in Redis at close ({}); their leases will end them",
                    ids.size(), e.getMessage());
            }
        }
        StatefulRedisConnection<String, String> open = connection;
        if (open != null) {
            open.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private List<Object> run(Script script, String[] keys, String... args) {
        try {
            return script.run(commands(), keys, args);
        } catch (RedisException e) {
            throw unavailable(script, e);
        }
    }

    private long runForNumber(Script script, String[] keys, String... args) {
        try {
            return script.runForNumber(commands(), keys, args);
        } catch (RedisException e) {
            throw unavailable(script, e);
        }
    }

    /**
     * The connection's commands; connects first if need be, at most one thread at a time and once a second, so
     * that while Redis is away every decision fails fast instead of each waiting for a connect timeout.
     */
    private RedisCommands<String, String> commands() {
        StatefulRedisConnection<String, String> open = connection;
        if (open != null) {
            return open.sync();
        }
        if (closed) {
            throw new StoreUnavailableException("the Redis store is closed", null);
        }
        if (!connecting.tryLock()) {
            throw new StoreUnavailableException("not connected to Redis at " + redacted() + " yet", null);
        }
        try {
            if (connection == null) {
                if (System.nanoTime() - nextConnectAttempt < 0) {
                    throw new StoreUnavailableException("not connected to Redis at " + redacted() + " (next attempt within "
                        + RECONNECT_AT_MOST_EVERY.toSeconds() + " s)", null);
                }
                try {
                    connection = client.connect(StringCodec.UTF8, uri);
                } catch (RedisException e) {
                    nextConnectAttempt = System.nanoTime() + RECONNECT_AT_MOST_EVERY.toNanos();
                    throw new StoreUnavailableException("cannot connect to Redis at " + redacted() + ": " + rootMessage(e), e);
                }
            }
            return connection.sync();
        } finally {
            connecting.unlock();
        }
    }

    private StoreUnavailableException unavailable(Script script, RedisException e) {
        return new StoreUnavailableException("Redis at " + redacted() + " did not decide (" + script + "): " + rootMessage(e), e);
    }

    private void reportEnded(ClientKey key, List<Object> reply, int from) {
        if (!"".equals(reply.get(from))) {
            listener.blockExpired(block(key, reply, from));
        }
    }

    /** reason, since, until at {@code from} in a script's reply. */
    private static Block block(ClientKey key, List<Object> reply, int from) {
        return new Block(key, (String) reply.get(from), Instant.ofEpochMilli(millis(reply.get(from + 1))),
            Instant.ofEpochMilli(millis(reply.get(from + 2))));
    }

    private static long millis(Object value) {
        if (value instanceof Long number) {
            return number;
        }
        String text = (String) value;
        return text.isEmpty() ? 0 : Long.parseLong(text);
    }

    private static String state(ClientKey key) {
        return PREFIX + "{" + key + "}:s";
    }

    private static String connections(ClientKey key) {
        return PREFIX + "{" + key + "}:c";
    }

    private static String[] keys(String... keys) {
        return keys;
    }

    private static String num(long value) {
        return Long.toString(value);
    }

    private String redacted() {
        return uri.getHost() == null ? "(socket or sentinel)" : uri.getHost() + ":" + uri.getPort();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
    }

    private static Duration positive(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("a block must last a positive time, not " + duration);
        }
        return duration;
    }

    /** Options of a {@link RedisClientStore}; all but the URI have a default. */
    public static final class Builder {
        private final String uri;
        private Duration timeout = Duration.ofSeconds(1);
        private Duration lease = Duration.ofMinutes(2);
        private Duration renewEvery;
        private Clock clock = Clock.systemUTC();
        private BlockListener listener = BlockListener.NONE;

        private Builder(String uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /** The bound on one decision, connecting included (default 1 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = requirePositive(timeout, "timeout");
            return this;
        }

        /** How long a connection counts without its node renewing it (default 2 min). */
        public Builder lease(Duration lease) {
            this.lease = requirePositive(lease, "lease");
            return this;
        }

        /** How often this node renews its leases (default a third of the lease). */
        public Builder renewEvery(Duration renewEvery) {
            this.renewEvery = requirePositive(renewEvery, "renewEvery");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder listener(BlockListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public RedisClientStore build() {
            return new RedisClientStore(this);
        }

        private static Duration requirePositive(Duration duration, String name) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, not " + duration);
            }
            return duration;
        }
    }
}
