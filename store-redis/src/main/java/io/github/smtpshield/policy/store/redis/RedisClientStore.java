package io.github.smtpshield.policy.store.redis;

import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.store.Admission;
import io.github.smtpshield.policy.store.Block;
import io.github.smtpshield.policy.store.BlockListener;
import io.github.smtpshield.policy.store.ClientCounters;
import io.github.smtpshield.policy.store.ClientStore;
import io.github.smtpshield.policy.store.Gcra;
import io.github.smtpshield.policy.store.HarvestVerdict;
import io.github.smtpshield.policy.store.StoreUnavailableException;
import io.github.smtpshield.policy.store.redis.Topology.Link;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisScriptingCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * fast while the connection is down, and after a decision timed out until Redis answers a probe in time again (a
 * decision runs on James's I/O thread: a slow Redis costs it one timeout, not one per decision); Lettuce reconnects in the background (backoff up to 2 s), and a store that
 * could not connect at start keeps trying on use, so it recovers by itself when Redis is back.
 *
 * <p><b>Redis Cluster</b> ({@link Builder#cluster}): a client's keys share one hash slot ({@code {<key>}} hash tag),
 * so each decision is still one script on one node, and clients spread over the cluster. The block index, global,
 * is in a slot of its own; a block lives in its client's hash, which every decision reads, so enforcing and lifting
 * a block stay one atomic script, and only the index (which lists blocks for operators) is kept by a call of its
 * own after a block starts or is lifted. Listing reads the index, then each listed client's block (authoritative;
 * entries with no block any more are forgotten on the way). An index entry that could not be written is retried
 * by the lease renewer. A batch of lease renewals or releases is one script per hash slot, all in flight at once.
 *
 * <p><b>Limits</b>: memory in Redis is bounded by the keys' TTLs (an hour of message budget, the harvest window,
 * blocks plus one day to report their end, leases). One Redis ({@code redis://}, {@code rediss://},
 * {@code redis-sentinel://}, {@code redis-socket://}) or a Redis Cluster ({@code redis://host1:port1,host2:port2}
 * with {@code cluster(true)}).
 */
public final class RedisClientStore implements ClientStore {

    /** Every key of the store starts with it. */
    public static final String PREFIX = "smtpshield:";

    static final String BLOCK_INDEX = PREFIX + "blocks";

    private static final Logger LOG = LoggerFactory.getLogger(RedisClientStore.class);
    private static final Duration RECONNECT_AT_MOST_EVERY = Duration.ofSeconds(1);
    private static final Duration PROBE_EVERY = Duration.ofSeconds(1);
    private static final int MAX_PENDING_RELEASES = 100_000;
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
    private static final Script INDEX_ADD = Script.named("index_add");
    private static final Script INDEX_FORGET = Script.named("index_forget");
    private static final Script INDEX_READ = Script.named("index_read");

    private final Topology topology;
    private final Duration timeout;
    private final Clock clock;
    private final BlockListener listener;
    private final long leaseMillis;
    private final String node = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong connectionSequence = new AtomicLong();
    /** This node's connection ids per client key: the leases it renews and releases. */
    private final ConcurrentMap<IpPrefix, ConcurrentLinkedDeque<String>> held = new ConcurrentHashMap<>();

    private final ScheduledExecutorService renewer;
    private final ReentrantLock connecting = new ReentrantLock();
    private final AtomicLong nextRenewalWarning = new AtomicLong(System.nanoTime());
    /** Redis Cluster: blocks whose index entry could not be written yet (key -> until), retried by the renewer. */
    private final ConcurrentMap<IpPrefix, Long> unlisted = new ConcurrentHashMap<>();

    private final AtomicLong nextIndexWarning = new AtomicLong(System.nanoTime());
    private volatile Link link;
    private volatile long nextConnectAttempt = System.nanoTime();
    private volatile boolean closed;
    /** A decision timed out and no probe has been answered in time since: decisions fail at once. */
    private final AtomicBoolean slow = new AtomicBoolean();

    private final AtomicBoolean connectPending = new AtomicBoolean();
    private final AtomicLong nextSlowWarning = new AtomicLong(System.nanoTime());
    /** A key of the decision that stalled: the probe asks its node. */
    private volatile String probeKey = PREFIX + "probe";
    /** Connection counts to take back once Redis answers; bounded (a full queue leaves them to their leases). */
    private final BlockingQueue<Lease> pendingReleases = new LinkedBlockingQueue<>(MAX_PENDING_RELEASES);

    @SuppressWarnings("FutureReturnValueIgnored") // the renewer runs until close(), which shuts it down
    private RedisClientStore(Builder builder) {
        this.clock = builder.clock;
        this.listener = builder.listener;
        this.leaseMillis = builder.lease.toMillis();
        this.timeout = builder.timeout;
        this.topology = Topology.of(builder.uri, builder.cluster, builder.timeout);
        Duration renewEvery = builder.renewEvery != null ? builder.renewEvery : builder.lease.dividedBy(3);
        this.renewer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "smtpshield-redis-leases");
            thread.setDaemon(true);
            return thread;
        });
        renewer.scheduleWithFixedDelay(
                this::renewLeases, renewEvery.toMillis(), renewEvery.toMillis(), TimeUnit.MILLISECONDS);
        try {
            connect();
            LOG.info(
                    "SMTP Shield: per-IP store in Redis at {} (node {}, lease {}, timeout {})",
                    redacted(),
                    node,
                    builder.lease,
                    builder.timeout);
        } catch (StoreUnavailableException e) {
            LOG.warn(
                    "SMTP Shield: Redis at {} is not reachable yet ({}); the store keeps trying",
                    redacted(),
                    e.getMessage());
        }
    }

    /**
     * A store on the Redis of {@code uri} ({@code redis://host:port}, {@code rediss://}, Sentinel, socket), or on the
     * Redis Cluster of its seeds ({@code redis://host1:port1,host2:port2}) with {@link Builder#cluster}.
     */
    public static Builder builder(String uri) {
        return new Builder(uri);
    }

    @Override
    public Admission tryConnect(IpPrefix key, int maxConcurrent) {
        String id = node + ":" + connectionSequence.incrementAndGet();
        long now = clock.millis();
        List<Object> reply;
        try {
            reply = run(
                    CONNECT,
                    withIndex(state(key), connections(key)),
                    num(now),
                    num(maxConcurrent),
                    id,
                    num(leaseMillis),
                    key.toString());
        } catch (StoreUnavailableException e) {
            // A script that timed out may still run when Redis catches up: the count it would add is released then.
            releaseLater(new Lease(connections(key), id));
            throw e;
        }
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
    public void disconnect(IpPrefix key) {
        String[] released = {null};
        held.computeIfPresent(key, (k, ids) -> {
            released[0] = ids.poll();
            return ids.isEmpty() ? null : ids;
        });
        if (released[0] != null) {
            try {
                run(RELEASE, keys(connections(key)), num(clock.millis()), released[0]);
            } catch (StoreUnavailableException e) {
                releaseLater(new Lease(connections(key), released[0]));
                throw e;
            }
        }
    }

    @Override
    public boolean messageBudgetAvailable(IpPrefix key, int maxPerHour) {
        if (maxPerHour <= 0) {
            return true;
        }
        Gcra rate = Gcra.inMillis(maxPerHour, Duration.ofHours(1));
        return runForNumber(BUDGET, keys(state(key)), num(clock.millis()), num(rate.window()), num(rate.interval()))
                == 1;
    }

    @Override
    public void recordMessage(IpPrefix key, int maxPerHour) {
        if (maxPerHour <= 0) {
            return;
        }
        Gcra rate = Gcra.inMillis(maxPerHour, Duration.ofHours(1));
        runForNumber(MESSAGE, keys(state(key)), num(clock.millis()), num(rate.interval()));
    }

    @Override
    public HarvestVerdict recordUnknownRecipient(
            IpPrefix key, int limit, Duration window, Duration blockFor, boolean startBlock) {
        if (limit <= 0) {
            return activeBlock(key).isPresent() ? HarvestVerdict.ALREADY_BLOCKED : HarvestVerdict.UNDER_LIMIT;
        }
        Gcra rate = Gcra.inMillis(limit, window);
        long blockMillis = positive(blockFor).toMillis();
        long now = clock.millis();
        List<Object> reply = run(
                UNKNOWN,
                withIndex(state(key)),
                num(now),
                num(rate.window()),
                num(rate.interval()),
                num(blockMillis),
                startBlock ? "1" : "0",
                key.toString());
        HarvestVerdict verdict = HarvestVerdict.valueOf((String) reply.get(0));
        reportEnded(key, reply, 1);
        if (verdict == HarvestVerdict.BLOCK_STARTED) {
            list(key, now + blockMillis);
            listener.blockStarted(
                    new Block(key, Block.HARVEST, Instant.ofEpochMilli(now), Instant.ofEpochMilli(now + blockMillis)));
        }
        return verdict;
    }

    @Override
    public Optional<Block> activeBlock(IpPrefix key) {
        List<Object> reply = run(BLOCK_GET, withIndex(state(key)), num(clock.millis()), key.toString());
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
        if (!topology.indexBesideClientKeys()) {
            return blocksOfACluster();
        }
        List<Object> reply = run(BLOCKS, keys(BLOCK_INDEX), num(clock.millis()), PREFIX);
        List<Block> active = new ArrayList<>();
        for (int i = 0; i < reply.size(); i += 5) {
            IpPrefix key = IpPrefix.parse((String) reply.get(i + 1));
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

    /**
     * The blocks of a Redis Cluster: the index names the keys, each key's hash (in its own slot) says whether its
     * block still holds; all those reads are in flight at once. Keys listed without a block are forgotten.
     */
    private List<Block> blocksOfACluster() {
        long now = clock.millis();
        List<Object> index = run(INDEX_READ, keys(BLOCK_INDEX), num(now));
        List<CompletionStage<List<Object>>> reads = new ArrayList<>();
        for (int i = 0; i < index.size(); i += 2) {
            String member = (String) index.get(i);
            reads.add(BLOCK_GET.runAsync(
                    link().async(), ScriptOutputType.MULTI, keys(state(IpPrefix.parse(member))), num(now), member));
        }
        List<List<Object>> replies = await(BLOCK_GET, reads);
        List<Block> active = new ArrayList<>();
        List<String> forget = new ArrayList<>();
        forget.add(num(now));
        for (int i = 0; i < replies.size(); i++) {
            String member = (String) index.get(2 * i);
            List<Object> reply = replies.get(i);
            if (!reply.isEmpty() && reply.get(0).equals("A")) {
                active.add(block(IpPrefix.parse(member), reply, 1));
                continue;
            }
            if (!reply.isEmpty()) {
                listener.blockExpired(block(IpPrefix.parse(member), reply, 1));
            }
            forget.add(member);
            forget.add(num(millis(index.get(2 * i + 1))));
        }
        if (forget.size() > 1) {
            try {
                runForNumber(INDEX_FORGET, keys(BLOCK_INDEX), forget.toArray(String[]::new));
            } catch (StoreUnavailableException e) {
                LOG.debug(
                        "SMTP Shield: the block index keeps {} keys without a block until the next listing",
                        forget.size() / 2,
                        e);
            }
        }
        active.sort(Comparator.comparing(Block::since));
        return List.copyOf(active);
    }

    @Override
    public Block block(IpPrefix key, String reason, Duration forHowLong) {
        Instant now = Instant.ofEpochMilli(clock.millis());
        Block block = new Block(key, reason, now, now.plus(positive(forHowLong)));
        run(
                BLOCK_SET,
                withIndex(state(key)),
                num(now.toEpochMilli()),
                reason,
                num(block.since().toEpochMilli()),
                num(block.until().toEpochMilli()),
                key.toString());
        list(key, block.until().toEpochMilli());
        listener.blockStarted(block);
        return block;
    }

    @Override
    public boolean unblock(IpPrefix key) {
        long now = clock.millis();
        List<Object> reply = run(UNBLOCK, withIndex(state(key)), num(now), key.toString());
        unlisted.remove(key);
        if (reply.isEmpty()) {
            return false;
        }
        Block lifted = block(key, reply, 0);
        if (!topology.indexBesideClientKeys()) {
            try {
                runForNumber(
                        INDEX_FORGET,
                        keys(BLOCK_INDEX),
                        num(now),
                        key.toString(),
                        num(lifted.until().toEpochMilli()));
            } catch (StoreUnavailableException e) {
                LOG.debug("SMTP Shield: the block index forgets {} at its next listing", key, e);
            }
        }
        if (lifted.activeAt(Instant.ofEpochMilli(now))) {
            listener.blockLifted(lifted);
            return true;
        }
        listener.blockExpired(lifted);
        return false;
    }

    @Override
    public ClientCounters counters(IpPrefix key, int maxMessagesPerHour, int maxUnknownRecipients, Duration window) {
        long now = clock.millis();
        List<Object> reply = run(COUNTERS, keys(state(key), connections(key)), num(now));
        int messages = 0;
        int messagesLeft = -1;
        if (maxMessagesPerHour > 0) {
            messages = Gcra.inMillis(maxMessagesPerHour, Duration.ofHours(1)).count(millis(reply.get(0)), now);
            messagesLeft = Math.max(0, maxMessagesPerHour - messages);
        }
        int unknownRecipients = maxUnknownRecipients <= 0
                ? 0
                : Gcra.inMillis(maxUnknownRecipients, window).count(millis(reply.get(1)), now);
        int open = (int) (long) (Long) reply.get(2);
        Optional<Block> block = Optional.empty();
        if (!"".equals(reply.get(5)) && millis(reply.get(5)) > now) {
            block = Optional.of(block(key, reply, 3));
        }
        return new ClientCounters(key, open, messages, messagesLeft, unknownRecipients, block);
    }

    /**
     * Renews the leases of this node's open connections; runs every third of the lease. A failure is retried at
     * the next round: the leases only lapse if Redis stays out of reach for a whole lease. On a Redis Cluster it
     * also lists the blocks whose index entry could not be written when they started.
     */
    void renewLeases() {
        try {
            releasePending();
            unlisted.forEach(this::list);
        } catch (RuntimeException e) {
            LOG.debug("SMTP Shield: pending releases or listings wait for the next round", e);
        }
        List<Lease> leases = heldLeases();
        try {
            long now = clock.millis();
            runInBatches(RENEW, leases, num(now), num(now + leaseMillis));
        } catch (StoreUnavailableException e) {
            if (warningDue(nextRenewalWarning)) {
                LOG.warn(
                        "SMTP Shield: could not renew the leases of {} open connections in Redis: {}",
                        leases.size(),
                        e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.error("SMTP Shield: renewing the connection leases failed", e);
        }
    }

    /**
     * A connection count to take back once Redis answers again (a release that failed, or a connect that may have
     * been carried out after it timed out); until then, or if this queue is full, its lease ends it.
     */
    private void releaseLater(Lease lease) {
        pendingReleases.offer(lease);
    }

    /** Sends the releases that failed; those that fail again wait for the next round. */
    private void releasePending() {
        List<Lease> batch = new ArrayList<>();
        pendingReleases.drainTo(batch);
        if (batch.isEmpty()) {
            return;
        }
        try {
            runInBatches(RELEASE, batch, num(clock.millis()));
        } catch (RuntimeException e) {
            batch.forEach(this::releaseLater);
        }
    }

    /** The connections this node holds, each a lease it renews and, when the connection closes, releases. */
    private List<Lease> heldLeases() {
        List<Lease> leases = new ArrayList<>();
        held.forEach((key, ids) -> ids.forEach(id -> leases.add(new Lease(connections(key), id))));
        return leases;
    }

    /** One open connection in Redis: the client's connections key and the connection's id there. */
    private record Lease(String connectionsKey, String id) {}

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
        try {
            renewer.awaitTermination(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Lease> leases = heldLeases();
        held.clear();
        if (!leases.isEmpty() && link != null) {
            try {
                runInBatches(RELEASE, leases, num(clock.millis()));
            } catch (RuntimeException e) {
                LOG.info(
                        "SMTP Shield: could not release {} connections in Redis at close ({}); their leases will end them",
                        leases.size(),
                        e.getMessage());
            }
        }
        Link open = link;
        if (open != null) {
            open.connection().close();
        }
        topology.shutdown();
    }

    private List<Object> run(Script script, String[] keys, String... args) {
        return decide(script, keys[0], commands -> script.run(commands, keys, args));
    }

    private long runForNumber(Script script, String[] keys, String... args) {
        return decide(script, keys[0], commands -> script.runForNumber(commands, keys, args));
    }

    /**
     * One decision, on the caller's thread (James's hooks are synchronous: a Netty I/O thread), so it must not wait
     * long: at most the timeout, and only once. A decision that times out marks Redis slow; while it is slow every
     * decision fails at once (the caller applies {@code onFailure}) and a background probe asks Redis every second
     * until it answers within the timeout again. On a Redis Cluster the probe goes to the node of {@code key}, the one
     * that stalled; meanwhile decisions fail for the clients of every node (one flag: kept simple, and a stalled
     * master is an incident for the whole cluster).
     */
    private <T> T decide(Script script, String key, Function<RedisScriptingCommands<String, String>, T> call) {
        if (slow.get()) {
            throw new StoreUnavailableException(
                    "Redis at " + redacted() + " was slower than " + timeout
                            + "; deciding without it until it answers in time again",
                    null);
        }
        try {
            return call.apply(link().sync());
        } catch (RedisCommandTimeoutException e) {
            markSlow(key, e);
            throw unavailable(script, e);
        } catch (RedisException e) {
            throw unavailable(script, e);
        }
    }

    private void markSlow(String key, RedisCommandTimeoutException e) {
        if (slow.compareAndSet(false, true)) {
            probeKey = key;
            if (warningDue(nextSlowWarning)) {
                LOG.warn(
                        "SMTP Shield: Redis at {} did not answer within {} ({}); decisions go without it until it answers"
                                + " in time again",
                        redacted(),
                        timeout,
                        rootMessage(e));
            }
            scheduleProbe();
        }
    }

    @SuppressWarnings("FutureReturnValueIgnored") // a probe reports through the store's state, not its future
    private void scheduleProbe() {
        try {
            renewer.schedule(this::probe, PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed: nothing to probe for
        }
    }

    /** Clears the slow mark when Redis answers a trivial script within the timeout; otherwise asks again later. */
    private void probe() {
        try {
            link().async()
                    .eval("return 1", ScriptOutputType.INTEGER, probeKey)
                    .toCompletableFuture()
                    .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            slow.set(false);
            LOG.info("SMTP Shield: Redis at {} answers in time again", redacted());
            releasePending();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            scheduleProbe();
        }
    }

    /**
     * Runs {@code script} (renew or release) over many leases: one run per hash slot (the keys of one Redis: all one
     * slot) and at most {@value #RENEWALS_PER_SCRIPT} leases, every run in flight at once. Keys: the leases'
     * connections keys; arguments: {@code leading}, then the leases' ids in the same order.
     */
    private void runInBatches(Script script, List<Lease> leases, String... leading) {
        Map<Integer, List<Lease>> bySlot = new LinkedHashMap<>();
        for (Lease lease : leases) {
            bySlot.computeIfAbsent(topology.slot(lease.connectionsKey()), slot -> new ArrayList<>())
                    .add(lease);
        }
        List<CompletionStage<Long>> runs = new ArrayList<>();
        for (List<Lease> slot : bySlot.values()) {
            for (int from = 0; from < slot.size(); from += RENEWALS_PER_SCRIPT) {
                List<Lease> batch = slot.subList(from, Math.min(slot.size(), from + RENEWALS_PER_SCRIPT));
                List<String> args = new ArrayList<>(List.of(leading));
                batch.forEach(lease -> args.add(lease.id()));
                runs.add(script.runAsync(
                        link().async(),
                        ScriptOutputType.INTEGER,
                        batch.stream().map(Lease::connectionsKey).toArray(String[]::new),
                        args.toArray(String[]::new)));
            }
        }
        await(script, runs);
    }

    /** The answers of runs in flight, in order; each is bounded by the timeout (Lettuce's, and this guard's). */
    private <T> List<T> await(Script script, List<CompletionStage<T>> runs) {
        long deadline = System.nanoTime() + 2 * timeout.toNanos();
        List<T> answers = new ArrayList<>(runs.size());
        for (CompletionStage<T> run : runs) {
            try {
                answers.add(
                        run.toCompletableFuture().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RedisException redis) {
                    throw unavailable(script, redis);
                }
                throw new IllegalStateException("Redis script " + script + " failed", e.getCause());
            } catch (TimeoutException e) {
                throw new StoreUnavailableException(
                        "Redis at " + topology.describe() + " did not decide (" + script + ") within " + timeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreUnavailableException("interrupted while Redis decided (" + script + ")", e);
            }
        }
        return answers;
    }

    /**
     * The keys of a decision about one client, and the block index when the script may touch it beside them (one
     * Redis). On a Redis Cluster the index is in another hash slot: {@link #list} and {@link #unblock} keep it by
     * calls of their own, so that the decision itself stays one atomic script on the client's node.
     */
    private String[] withIndex(String... clientKeys) {
        if (!topology.indexBesideClientKeys()) {
            return clientKeys;
        }
        String[] keys = Arrays.copyOf(clientKeys, clientKeys.length + 1);
        keys[clientKeys.length] = BLOCK_INDEX;
        return keys;
    }

    /**
     * Redis Cluster: lists a block that just started (its script could not, the index being in another slot), without
     * waiting: the caller may be an SMTP I/O thread. A failure leaves the block in force and is retried by the
     * renewer; only the listing misses it meanwhile.
     */
    private void list(IpPrefix key, long until) {
        if (topology.indexBesideClientKeys()) {
            return;
        }
        if (until <= clock.millis()) {
            unlisted.remove(key, until);
            return;
        }
        try {
            INDEX_ADD
                    .<Long>runAsync(
                            link().async(),
                            ScriptOutputType.INTEGER,
                            keys(BLOCK_INDEX),
                            num(clock.millis()),
                            key.toString(),
                            num(until))
                    .whenComplete((added, failure) -> {
                        if (failure == null) {
                            unlisted.remove(key, until);
                        } else {
                            notListedYet(key, until, rootMessage(failure));
                        }
                    });
        } catch (StoreUnavailableException | RedisException e) {
            notListedYet(key, until, e.getMessage());
        }
    }

    private void notListedYet(IpPrefix key, long until, String why) {
        unlisted.put(key, until);
        if (warningDue(nextIndexWarning)) {
            LOG.warn("SMTP Shield: the block of {} is in force but not listed yet ({}); retrying", key, why);
        }
    }

    /** At most one WARN line a minute per kind. */
    private static boolean warningDue(AtomicLong next) {
        long due = next.get();
        return System.nanoTime() - due >= 0 && next.compareAndSet(due, System.nanoTime() + TimeUnit.MINUTES.toNanos(1));
    }

    /**
     * The connection. Without one, a connect is started in the background (at most one at a time, once a second)
     * and the caller fails at once: a caller may be James's I/O thread, which must not wait for a connect timeout.
     */
    @SuppressWarnings(
            "FutureReturnValueIgnored") // a background connect reports through the store's state, not its future
    private Link link() {
        Link open = link;
        if (open != null) {
            return open;
        }
        if (closed) {
            throw new StoreUnavailableException("the Redis store is closed", null);
        }
        if (connectPending.compareAndSet(false, true)) {
            long delay = Math.max(0, nextConnectAttempt - System.nanoTime());
            try {
                renewer.schedule(
                        () -> {
                            try {
                                connect();
                            } catch (StoreUnavailableException e) {
                                LOG.debug("SMTP Shield: {}", e.getMessage());
                            } finally {
                                connectPending.set(false);
                            }
                        },
                        delay,
                        TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                throw new StoreUnavailableException("the Redis store is closed", e);
            }
        }
        throw new StoreUnavailableException(
                "not connected to Redis at " + redacted() + " (connecting in the background)", null);
    }

    /** Connects now, on this thread (the constructor's, or the background's). */
    private Link connect() {
        connecting.lock();
        try {
            if (link == null && !closed) {
                try {
                    Link made = topology.connect();
                    if (closed) {
                        made.connection().close();
                    } else {
                        link = made;
                    }
                } catch (RedisException e) {
                    nextConnectAttempt = System.nanoTime() + RECONNECT_AT_MOST_EVERY.toNanos();
                    throw new StoreUnavailableException(
                            "cannot connect to Redis at " + redacted() + ": " + rootMessage(e), e);
                }
            }
            return link();
        } finally {
            connecting.unlock();
        }
    }

    private StoreUnavailableException unavailable(Script script, RedisException e) {
        return new StoreUnavailableException(
                "Redis at " + redacted() + " did not decide (" + script + "): " + rootMessage(e), e);
    }

    private void reportEnded(IpPrefix key, List<Object> reply, int from) {
        if (!"".equals(reply.get(from))) {
            listener.blockExpired(block(key, reply, from));
        }
    }

    /** reason, since, until at {@code from} in a script's reply. */
    private static Block block(IpPrefix key, List<Object> reply, int from) {
        return new Block(
                key,
                (String) reply.get(from),
                Instant.ofEpochMilli(millis(reply.get(from + 1))),
                Instant.ofEpochMilli(millis(reply.get(from + 2))));
    }

    private static long millis(Object value) {
        if (value instanceof Long number) {
            return number;
        }
        String text = (String) value;
        return text.isEmpty() ? 0 : Long.parseLong(text);
    }

    private static String state(IpPrefix key) {
        return PREFIX + "{" + key + "}:s";
    }

    private static String connections(IpPrefix key) {
        return PREFIX + "{" + key + "}:c";
    }

    private static String[] keys(String... keys) {
        return keys;
    }

    private static String num(long value) {
        return Long.toString(value);
    }

    private String redacted() {
        return topology.describe();
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
        private boolean cluster;
        private Clock clock = Clock.systemUTC();
        private BlockListener listener = BlockListener.NONE;

        private Builder(String uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /** The bound on one decision, and on connecting (default 1 s). */
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

        /** The URI names seeds of a Redis Cluster ({@code redis://host1:port1,host2:port2}); default false. */
        public Builder cluster(boolean cluster) {
            this.cluster = cluster;
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
