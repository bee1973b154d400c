package io.github.smtpshield.policy.store.redis;

import io.github.smtpshield.policy.config.Durations;
import io.github.smtpshield.policy.config.RedisUri;
import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.store.AccountLock;
import io.github.smtpshield.policy.store.Admission;
import io.github.smtpshield.policy.store.BanTerms;
import io.github.smtpshield.policy.store.BanVerdict;
import io.github.smtpshield.policy.store.Block;
import io.github.smtpshield.policy.store.BlockChange;
import io.github.smtpshield.policy.store.BlockListener;
import io.github.smtpshield.policy.store.ClientCounters;
import io.github.smtpshield.policy.store.ClientStore;
import io.github.smtpshield.policy.store.Gcra;
import io.github.smtpshield.policy.store.HarvestVerdict;
import io.github.smtpshield.policy.store.MessageSlot;
import io.github.smtpshield.policy.store.StoreUnavailableException;
import io.github.smtpshield.policy.store.redis.Replies.Ban;
import io.github.smtpshield.policy.store.redis.Replies.Connect;
import io.github.smtpshield.policy.store.redis.Replies.Counters;
import io.github.smtpshield.policy.store.redis.Replies.FoundBlock;
import io.github.smtpshield.policy.store.redis.Replies.StoredBlock;
import io.github.smtpshield.policy.store.redis.Replies.UnknownRecipient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ClientStore} of a cluster: per-client state in one Redis, shared by every James node, with the
 * semantics of the memory store.
 *
 * <p>Why one class of this size: it is the whole {@code ClientStore} contract, one short method per decision (call
 * the decision's script, decode its typed reply); the parts with a life of their own are classes of their own
 * ({@link RedisLink}, {@link ConnectionLeases}, {@link BlockIndex}, {@link Script}, {@link Replies}).
 *
 * <p><b>What it keeps</b> (see {@code prelude.lua}, {@link Keys}): per client key, a hash of two GCRA timestamps and
 * the block, and a sorted set of the open connections of every node, each a lease that its node renews
 * ({@link ConnectionLeases}); plus an index of blocks for listing ({@link BlockIndex}). Each key carries a TTL set by
 * the very script that writes it, so nothing outlives what it counts (a Redis key without TTL once limited a Haraka
 * site forever).
 *
 * <p><b>Atomicity</b>: each decision (connect, disconnect, MAIL, message given back, unknown recipient, block,
 * unblock) is one Lua script ({@link Script}, its reply decoded by {@link Replies}), one round trip, atomic in Redis:
 * no read-modify-write race between nodes. Times are the deciding node's clock (keep the nodes on NTP: a skew of s
 * shifts refills by s).
 *
 * <p><b>A busy client's MAIL FROMs</b> mostly need no round trip: a node takes messages of a client's hourly budget
 * ahead of need, in growing grants (at most 64, at most a sixteenth of what is left), and gives back what it has not
 * used after 10 s ({@link MessageAllowances}). The cluster still never admits more than the limit.
 *
 * <p><b>Connections survive a node crash</b>: a connection is counted as a lease ({@code lease}, default 2 min)
 * that its node renews every third of the lease; a node that dies stops renewing, so its connections stop counting
 * within the lease, without any other node cleaning up for it.
 *
 * <p><b>When Redis fails</b> (down, unreachable, slower than {@code timeout}): every method throws
 * {@link StoreUnavailableException} within the timeout, and the caller applies {@code onFailure}. A slow Redis costs a
 * decision (on James's I/O thread) one timeout, not one per decision, and a store that could not connect keeps trying
 * in the background: see {@link RedisLink}.
 *
 * <p><b>Redis Cluster</b> ({@link Builder#cluster}): a client's keys share one hash slot ({@code {<key>}} hash tag),
 * so each decision is still one script on one node, and clients spread over the cluster; the block index, global,
 * is kept by calls of its own ({@link BlockIndex.Cluster}).
 *
 * <p><b>Limits</b>: memory in Redis is bounded by the keys' TTLs (an hour of message budget, the harvest window,
 * blocks plus one day to report their end, leases). One Redis ({@code redis://}, {@code rediss://},
 * {@code redis-sentinel://}, {@code redis-socket://}) or a Redis Cluster ({@code redis://host1:port1,host2:port2}
 * with {@code cluster(true)}).
 *
 * <p>The bans ({@code <bans>}): a client's failed-AUTH and refusal counts and its escalation memory are fields of its
 * state hash, decided with its block in one script ({@code offence.lua}); a network's blocked keys are a sorted set in
 * the network's own slot, decided with the network's block ({@code network.lua}); a login name's count and lock are a
 * hash of their own ({@code account.lua}), listed by an index kept by calls of its own ({@code locks.lua}).
 *
 * <p>Over 300 lines, for a reason: this manual, the decisions of {@link ClientStore} (each one script and its
 * typed reply, 10 to 25 lines) and the {@link Builder} of the public options (70 lines). Every other job is a class of
 * its own: {@link RedisLink}, {@link ConnectionLeases}, {@link BlockIndex}, {@link Script} and {@link Replies}.
 */
public final class RedisClientStore implements ClientStore {

    /** Every key of the store starts with it. */
    public static final String PREFIX = Keys.PREFIX;

    static final String BLOCK_INDEX = Keys.BLOCK_INDEX;

    private static final Logger LOG = LoggerFactory.getLogger(RedisClientStore.class);

    private static final Script<Connect> CONNECT = Script.answering("connect", Connect::decode);
    private static final Script<UnknownRecipient> UNKNOWN = Script.answering("unknown", UnknownRecipient::decode);
    private static final Script<Optional<StoredBlock>> BLOCK_SET =
            Script.answering("block_set", Replies::previousBlock);
    private static final Script<Optional<StoredBlock>> UNBLOCK = Script.answering("unblock", Replies::previousBlock);
    private static final Script<Counters> COUNTERS = Script.answering("counters", Counters::decode);
    private static final Script<OptionalInt> PASS = Script.answering("pass", Replies::score);
    private static final Script<Ban> OFFENCE = Script.answering("offence", Ban::decode);
    private static final Script<Ban> NETWORK = Script.answering("network", Ban::decode);
    private static final Script<List<Object>> ACCOUNT = Script.answering("account", reply -> reply);
    private static final Script<List<Object>> LOCKS = Script.answering("locks", reply -> reply);

    private final Clock clock;
    private final Duration timeout;
    private final BlockListener listener;
    /** The store's one background thread: lease renewal, index retries, background connects, probes. */
    private final ScheduledExecutorService background;

    private final RedisLink link;
    private final ConnectionLeases leases;
    private final MessageAllowances allowances;
    private final BlockIndex index;
    private volatile boolean closed;

    @SuppressWarnings("FutureReturnValueIgnored") // the round runs until close(), which shuts the thread down
    private RedisClientStore(Builder builder) {
        this.clock = builder.clock;
        this.timeout = builder.timeout;
        this.listener = builder.listener;
        Topology topology = Topology.of(builder.uri, builder.cluster, builder.timeout);
        this.background = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "smtpshield-redis-leases");
            thread.setDaemon(true);
            return thread;
        });
        this.link = new RedisLink(
                topology,
                builder.timeout,
                background,
                this::releasePending,
                List.of(ConnectionLeases.RELEASE, MessageAllowances.RETURN));
        this.leases = new ConnectionLeases(link, clock, builder.lease.toMillis());
        this.allowances = new MessageAllowances(link, clock, background);
        this.index = BlockIndex.of(topology, link, clock, listener);
        long renewEvery = (builder.renewEvery != null ? builder.renewEvery : builder.lease.dividedBy(3)).toMillis();
        background.scheduleWithFixedDelay(this::backgroundRound, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        try {
            link.connectNow();
            LOG.info(
                    "SMTP Shield: per-IP store in Redis at {} (node {}, lease {}, timeout {})",
                    link.describe(),
                    leases.node(),
                    builder.lease,
                    builder.timeout);
        } catch (StoreUnavailableException e) {
            LOG.warn(
                    "SMTP Shield: Redis at {} is not reachable yet ({}); the store keeps trying",
                    link.describe(),
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
    public Admission tryConnect(IpPrefix key, int maxConcurrent, boolean countOverLimit) {
        String id = leases.newId();
        Connect reply;
        try {
            reply = link.decide(
                    CONNECT,
                    index.keysOf(Keys.state(key), Keys.connections(key)),
                    num(clock.millis()),
                    num(maxConcurrent),
                    id,
                    num(leases.leaseMillis()),
                    key.toString(),
                    countOverLimit ? "1" : "0");
        } catch (StoreUnavailableException e) {
            // A script that timed out may still run when Redis catches up: the count it would add is released then.
            leases.releaseLater(key, id);
            throw e;
        }
        if (reply.outcome() == Admission.Outcome.BLOCKED) {
            return Admission.blocked(reply.block().orElseThrow().of(key));
        }
        reportEnded(key, reply.block());
        Admission admission = new Admission(reply.outcome(), null);
        if (admission.admitted()) {
            leases.hold(key, id);
        }
        return admission;
    }

    @Override
    public void disconnect(IpPrefix key) {
        String id = leases.takeOne(key);
        if (id == null) {
            return;
        }
        // Not awaited: the session is over, and this client's next connect is sent after it on the connection.
        link.send(
                ConnectionLeases.RELEASE,
                new String[] {Keys.connections(key)},
                () -> leases.releaseLater(key, id),
                num(clock.millis()),
                id);
    }

    @Override
    public Optional<MessageSlot> takeMessage(IpPrefix key, int maxPerHour, boolean countOverLimit) {
        if (maxPerHour <= 0) {
            return Optional.of(MessageSlot.UNCOUNTED);
        }
        return allowances.take(key, Gcra.inMillis(maxPerHour, Duration.ofHours(1)), countOverLimit);
    }

    @Override
    public void returnMessage(IpPrefix key, int maxPerHour, MessageSlot slot) {
        if (maxPerHour <= 0 || slot.drainsAt() == 0) {
            return;
        }
        allowances.giveBack(key, Gcra.inMillis(maxPerHour, Duration.ofHours(1)), slot);
    }

    @Override
    public HarvestVerdict recordUnknownRecipient(
            IpPrefix key, int limit, Duration window, Duration blockFor, boolean startBlock) {
        if (limit <= 0) {
            return activeBlock(key).isPresent() ? HarvestVerdict.ALREADY_BLOCKED : HarvestVerdict.UNDER_LIMIT;
        }
        Gcra rate = Gcra.inMillis(limit, window);
        long blockMillis =
                Durations.requirePositive(blockFor, "a block\'s length").toMillis();
        long now = clock.millis();
        UnknownRecipient reply = link.decide(
                UNKNOWN,
                index.keysOf(Keys.state(key)),
                num(now),
                num(rate.window()),
                num(rate.interval()),
                num(blockMillis),
                startBlock ? "1" : "0",
                key.toString());
        reportEnded(key, reply.ended());
        if (reply.verdict() == HarvestVerdict.BLOCK_STARTED) {
            index.listed(key, now + blockMillis);
            listener.blockStarted(new StoredBlock(Block.HARVEST, now, now + blockMillis).of(key));
        }
        return reply.verdict();
    }

    @Override
    public BanVerdict recordOffence(
            IpPrefix key, Offence offence, int limit, Duration window, BanTerms terms, boolean startBlock) {
        if (limit <= 0) {
            return activeBlock(key).isPresent() ? BanVerdict.ALREADY_BLOCKED : BanVerdict.UNDER_LIMIT;
        }
        Gcra rate = Gcra.inMillis(limit, window);
        long now = clock.millis();
        Ban reply = link.decide(
                OFFENCE,
                index.keysOf(Keys.state(key)),
                num(now),
                num(rate.window()),
                num(rate.interval()),
                offence == Offence.AUTH_FAILURE ? "a" : "r",
                startBlock ? "1" : "0",
                key.toString(),
                terms.reason(),
                num(terms.blockFor().toMillis()),
                Double.toString(terms.factor()),
                num(terms.max().toMillis()),
                num(terms.memory().toMillis()));
        return banVerdict(key, now, terms.reason(), reply);
    }

    @Override
    public BanVerdict recordBlockInNetwork(
            IpPrefix network, Block member, int threshold, BanTerms terms, boolean startBlock) {
        long now = clock.millis();
        Ban reply = link.decide(
                NETWORK,
                index.keysOf(Keys.state(network), Keys.members(network)),
                num(now),
                member.key().toString(),
                num(member.until().toEpochMilli()),
                num(threshold),
                startBlock ? "1" : "0",
                network.toString(),
                terms.reason(),
                num(terms.blockFor().toMillis()),
                Double.toString(terms.factor()),
                num(terms.max().toMillis()),
                num(terms.memory().toMillis()));
        return banVerdict(network, now, terms.reason(), reply);
    }

    private BanVerdict banVerdict(IpPrefix key, long now, String reason, Ban reply) {
        reportEnded(key, reply.ended());
        if (reply.outcome() != BanVerdict.Outcome.BLOCK_STARTED) {
            return new BanVerdict(reply.outcome(), Optional.empty());
        }
        index.listed(key, reply.until());
        Block block = new StoredBlock(reason, now, reply.until(), reply.offences()).of(key);
        listener.blockStarted(block);
        return BanVerdict.started(block);
    }

    @Override
    public BanVerdict.Outcome recordAccountFailure(
            String account, int limit, Duration window, Duration lockFor, boolean startLock) {
        if (limit <= 0) {
            return accountLock(account).isPresent()
                    ? BanVerdict.Outcome.ALREADY_BLOCKED
                    : BanVerdict.Outcome.UNDER_LIMIT;
        }
        Gcra rate = Gcra.inMillis(limit, window);
        long lockMillis = Durations.requirePositive(lockFor, "a lock's length").toMillis();
        long now = clock.millis();
        BanVerdict.Outcome outcome = BanVerdict.Outcome.valueOf((String) link.decide(
                        ACCOUNT,
                        new String[] {Keys.account(account)},
                        num(now),
                        num(rate.window()),
                        num(rate.interval()),
                        num(lockMillis),
                        startLock ? "1" : "0",
                        "fail")
                .get(0));
        if (outcome == BanVerdict.Outcome.BLOCK_STARTED) {
            try {
                link.decide(LOCKS, new String[] {Keys.LOCKS}, num(now), "add", account, num(now + lockMillis));
            } catch (StoreUnavailableException e) {
                // The lock holds, in the account's own key; only the listing misses it.
                LOG.debug("SMTP Shield: the lock of {} is in force but not listed", account, e);
            }
        }
        return outcome;
    }

    @Override
    public Optional<AccountLock> accountLock(String account) {
        return Replies.lock(account, accountOp(account, "get"));
    }

    @Override
    public List<AccountLock> accountLocks() {
        List<Object> index = link.decide(LOCKS, new String[] {Keys.LOCKS}, num(clock.millis()), "read");
        List<AccountLock> locks = new ArrayList<>();
        for (int pair = 0; pair + 1 < index.size(); pair += 2) {
            accountLock((String) index.get(pair)).ifPresent(locks::add);
        }
        locks.sort(Comparator.comparing(AccountLock::since));
        return List.copyOf(locks);
    }

    @Override
    public boolean unlock(String account) {
        Optional<AccountLock> lifted = Replies.lock(account, accountOp(account, "unlock"));
        link.decide(LOCKS, new String[] {Keys.LOCKS}, num(clock.millis()), "forget", account);
        return lifted.isPresent();
    }

    private List<Object> accountOp(String account, String op) {
        return link.decide(ACCOUNT, new String[] {Keys.account(account)}, num(clock.millis()), "0", "0", "0", "0", op);
    }

    @Override
    public Optional<Block> activeBlock(IpPrefix key) {
        Optional<FoundBlock> found =
                link.decide(BlockIndex.BLOCK_GET, index.keysOf(Keys.state(key)), num(clock.millis()), key.toString());
        if (found.isPresent() && found.get().ended()) {
            listener.blockExpired(found.get().block().of(key));
            return Optional.empty();
        }
        return found.map(active -> active.block().of(key));
    }

    @Override
    public List<Block> blocks() {
        return index.blocks();
    }

    @Override
    public BlockChange block(IpPrefix key, String reason, Duration forHowLong) {
        long now = clock.millis();
        Block block = new StoredBlock(
                        reason,
                        now,
                        now
                                + Durations.requirePositive(forHowLong, "a block\'s length")
                                        .toMillis())
                .of(key);
        Optional<StoredBlock> previous = link.decide(
                BLOCK_SET,
                index.keysOf(Keys.state(key)),
                num(now),
                reason,
                num(block.since().toEpochMilli()),
                num(block.until().toEpochMilli()),
                key.toString());
        index.listed(key, block.until().toEpochMilli());
        boolean replaced = previous.isPresent() && previous.get().activeAt(now);
        if (previous.isPresent() && !replaced) {
            listener.blockExpired(previous.get().of(key));
        }
        listener.blockStarted(block);
        return new BlockChange(block, replaced);
    }

    @Override
    public boolean unblock(IpPrefix key) {
        long now = clock.millis();
        Optional<StoredBlock> removed = link.decide(UNBLOCK, index.keysOf(Keys.state(key)), num(now), key.toString());
        index.forget(key, removed.map(StoredBlock::until));
        if (removed.isEmpty()) {
            return false;
        }
        StoredBlock lifted = removed.get();
        if (lifted.activeAt(now)) {
            listener.blockLifted(lifted.of(key));
            return true;
        }
        listener.blockExpired(lifted.of(key));
        return false;
    }

    @Override
    public OptionalInt screeningPass(IpPrefix address) {
        return link.decide(PASS, new String[] {Keys.pass(address)}, "get", "0", "0");
    }

    @Override
    public void rememberScreeningPass(IpPrefix address, int score, Duration ttl) {
        Durations.requirePositive(ttl, "the pass cache's ttl");
        link.decide(PASS, new String[] {Keys.pass(address)}, "set", num(score), num(ttl.toMillis()));
    }

    @Override
    public ClientCounters counters(IpPrefix key, int maxMessagesPerHour, int maxUnknownRecipients, Duration window) {
        int unused = allowances.unused(key); // first: what expired goes back before the counters are read
        long now = clock.millis();
        Counters reply = link.decide(COUNTERS, new String[] {Keys.state(key), Keys.connections(key)}, num(now));
        int messages = 0;
        int messagesLeft = -1;
        if (maxMessagesPerHour > 0) {
            messages = Math.max(
                    0,
                    Gcra.inMillis(maxMessagesPerHour, Duration.ofHours(1)).count(reply.messagesDrainAt(), now)
                            - unused);
            messagesLeft = Math.max(0, maxMessagesPerHour - messages);
        }
        int unknownRecipients = maxUnknownRecipients <= 0
                ? 0
                : Gcra.inMillis(maxUnknownRecipients, window).count(reply.unknownRecipientsDrainAt(), now);
        Optional<Block> block =
                reply.block().filter(stored -> stored.activeAt(now)).map(stored -> stored.of(key));
        return new ClientCounters(key, reply.connections(), messages, messagesLeft, unknownRecipients, block);
    }

    /**
     * Stops the background thread, releases this node's connections (best effort: otherwise their leases end them)
     * and closes the client.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        allowances.giveBackAll();
        background.shutdownNow();
        try {
            background.awaitTermination(2 * timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        leases.releaseAll();
        link.close();
    }

    /**
     * Every third of the lease: the releases and listings that failed, then the renewal of this node's leases. A
     * failure is retried at the next round: leases only lapse if Redis stays out of reach for a whole lease.
     */
    private void backgroundRound() {
        try {
            index.retry();
        } catch (RuntimeException e) {
            LOG.debug("SMTP Shield: pending listings wait for the next round", e);
        }
        leases.renew();
    }

    /** Redis answers in time again: the counts it could not take back meanwhile go now. */
    private void releasePending() {
        leases.releasePending();
    }

    private void reportEnded(IpPrefix key, Optional<StoredBlock> ended) {
        ended.ifPresent(block -> listener.blockExpired(block.of(key)));
    }

    private static String num(long value) {
        return Long.toString(value);
    }

    /** Options of a {@link RedisClientStore}; all but the URI have a default. */
    public static final class Builder {
        private final RedisUri uri;
        private Duration timeout = Duration.ofSeconds(1);
        private Duration lease = Duration.ofMinutes(2);
        private Duration renewEvery;
        private boolean cluster;
        private Clock clock = Clock.systemUTC();
        private BlockListener listener = BlockListener.NONE;

        private Builder(String uri) {
            this.uri = RedisUri.of(Objects.requireNonNull(uri, "uri"));
        }

        /** The bound on one decision, and on connecting (default 1 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = Durations.requirePositive(timeout, "timeout");
            return this;
        }

        /** How long a connection counts without its node renewing it (default 2 min). */
        public Builder lease(Duration lease) {
            this.lease = Durations.requirePositive(lease, "lease");
            return this;
        }

        /** How often this node renews its leases (default a third of the lease). */
        public Builder renewEvery(Duration renewEvery) {
            this.renewEvery = Durations.requirePositive(renewEvery, "renewEvery");
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
    }
}
