package io.github.smtpshield.policy.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.smtpshield.policy.config.Durations;
import io.github.smtpshield.policy.net.IpPrefix;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The {@link ClientStore} of one server, in its heap.
 *
 * <p>Why one class of this size: it is the whole {@code ClientStore} contract, one method per decision, each an
 * atomic {@code compute} on one key; splitting the decisions apart would split the one locking discipline below.
 *
 * <p><b>What it keeps</b>: per client key with a rate to remember, one {@code ClientState} (two GCRA
 * timestamps, 32 bytes) in a Caffeine cache; per connected key, its count of open connections in a plain map;
 * blocks in a third map, written to the block file on every start or lift.
 *
 * <p><b>Atomicity</b>: every decision about a key runs in a {@code compute} for that key (the cache's for
 * rates and for every start or lift of a block, the connection map's for connections), so it is exact under
 * any concurrency. A connection admitted in the instant a block starts is not refused: it came first. Two things
 * happen outside: the removal of an ended block, as a conditional remove that cannot touch a newer block; and a
 * message taken from a key already tracked, one compare-and-set on its bucket, so that a busy client's parallel
 * sessions do not queue on its key at every MAIL FROM (a state leaving the cache is retired in the same atomic step,
 * and a take that finds it so is made again under the lock). Listeners and the block file are called after, outside
 * any lock.
 *
 * <p><b>Limits</b>:
 * <ul>
 *   <li>At most {@code maxTrackedClients} keys with rates (default 1,000,000, under 200 bytes each); past it
 *       Caffeine evicts the least useful (W-TinyLFU: rarely seen, one-shot keys go first), so a flood of sources
 *       cannot exhaust the heap. An evicted key only loses its partly spent budgets.</li>
 *   <li>Connection counts are not in the cache: a key is in the connection map exactly while it has open
 *       connections, so the map is bounded by the sockets the server holds (which a spoofed source cannot
 *       open) and a count can never be evicted, leak, or go below zero.</li>
 *   <li>A key's rates expire by themselves when its last bucket has drained (and no sooner than 10 s after its
 *       last message was taken), and are dropped at once when a decision leaves nothing to remember.</li>
 *   <li>Blocks are not evicted; they come only from completed SMTP sessions or an operator, and each ends.
 *       The block file is read at start (ended blocks dropped) and rewritten on each start or lift of a block,
 *       not when one merely expires: an expired line is dropped at the next read.</li>
 *   <li>Time is the injected {@link Clock} (wall time, since blocks outlive the process). A clock stepped back
 *       delays refills by the step; it never corrupts a count.</li>
 * </ul>
 */
public final class MemoryClientStore implements ClientStore {

    public static final long DEFAULT_MAX_TRACKED_CLIENTS = 1_000_000;

    private static final long NANOS_PER_MILLI = 1_000_000;

    private final Cache<IpPrefix, ClientState> clients;
    private final ConcurrentMap<IpPrefix, Integer> connections = new ConcurrentHashMap<>();
    private final ConcurrentMap<IpPrefix, Block> blocks = new ConcurrentHashMap<>();
    private final BlockFile blockFile;
    private final BlockListener listener;
    private final Clock clock;
    /** Login names with failed authentications or a lock, each while it matters; bounded like the clients. */
    private final Cache<String, AccountState> accounts;
    /** Addresses that passed the DNSBL screening, each for its own time; bounded like the clients. */
    private final Cache<IpPrefix, ScreeningPass> screeningPasses;

    private MemoryClientStore(Builder builder) {
        clock = builder.clock;
        listener = builder.listener;
        blockFile = builder.blockFile == null ? null : new BlockFile(builder.blockFile);
        // Each cache's upkeep (expiry, eviction) runs on the calling thread, under Caffeine's own lock: handed to the
        // common pool it cost a thread's wake-up per decision.
        clients = Caffeine.newBuilder()
                .maximumSize(builder.maxTrackedClients)
                .expireAfter(new KeepWhileItMatters())
                .ticker(this::nowNanos)
                .executor(Runnable::run)
                // Within the eviction's atomic step: a take without the lock cannot count on an evicted state.
                .<IpPrefix, ClientState>evictionListener((key, state, cause) -> state.retire())
                .build();
        accounts = Caffeine.newBuilder()
                .maximumSize(builder.maxTrackedClients)
                .expireAfter(new KeepAccountWhileItMatters())
                .ticker(this::nowNanos)
                .executor(Runnable::run)
                .build();
        screeningPasses = Caffeine.newBuilder()
                .maximumSize(builder.maxTrackedClients)
                .expireAfter(new ForItsTtl())
                .ticker(this::nowNanos)
                .executor(Runnable::run)
                .build();
        if (blockFile != null) {
            blockFile.read(clock.instant()).forEach(block -> blocks.put(block.key(), block));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Admission tryConnect(IpPrefix key, int maxConcurrent, boolean countOverLimit) {
        Block block = liveBlock(key);
        if (block != null) {
            return Admission.blocked(block);
        }
        Admission[] admission = {Admission.ADMITTED};
        connections.compute(key, (k, open) -> {
            int count = open == null ? 0 : open;
            if (maxConcurrent > 0 && count >= maxConcurrent) {
                if (!countOverLimit) {
                    admission[0] = Admission.TOO_MANY_CONNECTIONS;
                    return open;
                }
                admission[0] = Admission.COUNTED_OVER_LIMIT;
            }
            return count + 1;
        });
        return admission[0];
    }

    @Override
    public void disconnect(IpPrefix key) {
        connections.computeIfPresent(key, (k, open) -> open > 1 ? open - 1 : null);
    }

    @Override
    public Optional<MessageSlot> takeMessage(IpPrefix key, int maxPerHour, boolean countOverLimit) {
        if (maxPerHour <= 0) {
            return Optional.of(MessageSlot.UNCOUNTED);
        }
        Gcra rate = Gcra.of(maxPerHour, Gcra.HOUR);
        long now = nowNanos();
        // A busy client's every MAIL FROM: taken without the key's lock, which its parallel sessions would queue on.
        ClientState known = clients.policy().getIfPresentQuietly(key);
        if (known != null) {
            Optional<MessageSlot> taken = take(known, rate, now, countOverLimit);
            // A state let go meanwhile (a decision found it idle, or it expired) was retired first: its take, if any,
            // went with it, and the message is taken again, under the lock. The read after the take sets the entry's
            // expiry (reads do), which now covers the new bucket.
            if (!known.retired() && clients.getIfPresent(key) == known) {
                return taken;
            }
        }
        MessageSlot[] taken = {null};
        clients.asMap().compute(key, (k, state) -> {
            ClientState current = state == null ? new ClientState() : state;
            taken[0] = take(current, rate, now, countOverLimit).orElse(null);
            return taken[0] == null ? state : current;
        });
        return Optional.ofNullable(taken[0]);
    }

    /** A message of the bucket: one compare-and-set, so exact with or without the key's lock. */
    private static Optional<MessageSlot> take(ClientState state, Gcra rate, long now, boolean countOverLimit) {
        while (true) {
            long drainAt = state.messagesDrainAt();
            if (drainAt == ClientState.RETIRED) {
                return Optional.empty();
            }
            boolean withinBudget = rate.conforms(drainAt, now);
            if (!withinBudget && !countOverLimit) {
                return Optional.empty();
            }
            long next = rate.add(drainAt, now);
            if (state.messagesDrainAt(drainAt, next)) {
                state.messageTaken(now);
                return Optional.of(new MessageSlot(next, !withinBudget));
            }
        }
    }

    @Override
    public void returnMessage(IpPrefix key, int maxPerHour, MessageSlot slot) {
        if (maxPerHour <= 0 || slot.drainsAt() == 0) {
            return;
        }
        Gcra rate = Gcra.of(maxPerHour, Gcra.HOUR);
        long now = nowNanos();
        clients.asMap().computeIfPresent(key, (k, state) -> {
            state.updateMessagesDrainAt(drainAt -> rate.takeBack(drainAt, slot.drainsAt(), now));
            return state.keptAt(now);
        });
    }

    @Override
    public HarvestVerdict recordUnknownRecipient(
            IpPrefix key, int limit, Duration window, Duration blockFor, boolean startBlock) {
        if (limit <= 0) {
            return liveBlock(key) == null ? HarvestVerdict.UNDER_LIMIT : HarvestVerdict.ALREADY_BLOCKED;
        }
        Gcra rate = Gcra.of(limit, window);
        Durations.requirePositive(blockFor, "a block\'s length");
        Instant instant = clock.instant();
        long now = nanos(instant);
        HarvestOutcome outcome = new HarvestOutcome();
        clients.asMap().compute(key, (k, state) -> {
            // Checked here, under the key's lock, because a concurrent session may have just started the block
            // and reset the count: counting this one as the first of a fresh window would be wrong.
            Block existing = blocks.get(k);
            if (existing != null && existing.activeAt(instant)) {
                outcome.verdict = HarvestVerdict.ALREADY_BLOCKED;
                return state;
            }
            ClientState current = state == null ? new ClientState() : state;
            if (rate.conforms(current.unknownRecipientsDrainAt, now)) {
                current.unknownRecipientsDrainAt = rate.add(current.unknownRecipientsDrainAt, now);
                outcome.verdict = HarvestVerdict.UNDER_LIMIT;
                return current;
            }
            current.unknownRecipientsDrainAt = 0;
            if (!startBlock) {
                outcome.verdict = HarvestVerdict.LIMIT_EXCEEDED;
                return current.keptAt(now);
            }
            outcome.started = new Block(k, Block.HARVEST, instant, instant.plus(blockFor));
            outcome.ended = blocks.put(k, outcome.started);
            outcome.verdict = HarvestVerdict.BLOCK_STARTED;
            return current.keptAt(now);
        });
        if (outcome.ended != null) {
            listener.blockExpired(outcome.ended);
        }
        if (outcome.started != null) {
            saveBlocks();
            listener.blockStarted(outcome.started);
        }
        return outcome.verdict;
    }

    @Override
    public BanVerdict recordOffence(
            IpPrefix key, Offence offence, int limit, Duration window, BanTerms terms, boolean startBlock) {
        if (limit <= 0) {
            return liveBlock(key) == null ? BanVerdict.UNDER_LIMIT : BanVerdict.ALREADY_BLOCKED;
        }
        Gcra rate = Gcra.of(limit, window);
        Instant instant = clock.instant();
        long now = nanos(instant);
        BanOutcome outcome = new BanOutcome();
        clients.asMap().compute(key, (k, state) -> {
            // Under the key's lock, as for a harvest: a block another session just started is seen here.
            Block existing = blocks.get(k);
            if (existing != null && existing.activeAt(instant)) {
                outcome.verdict = BanVerdict.ALREADY_BLOCKED;
                return state;
            }
            ClientState current = state == null ? new ClientState() : state;
            if (rate.conforms(current.drainAt(offence), now)) {
                current.drainAt(offence, rate.add(current.drainAt(offence), now));
                outcome.verdict = BanVerdict.UNDER_LIMIT;
                return current;
            }
            current.drainAt(offence, 0);
            if (!startBlock) {
                outcome.verdict = BanVerdict.LIMIT_EXCEEDED;
            } else {
                ban(k, current, terms, instant, outcome);
            }
            return current.keptAt(now);
        });
        return outcome.reported(this);
    }

    @Override
    public BanVerdict recordBlockInNetwork(
            IpPrefix network, Block member, int threshold, BanTerms terms, boolean startBlock) {
        Instant instant = clock.instant();
        long now = nanos(instant);
        BanOutcome outcome = new BanOutcome();
        clients.asMap().compute(network, (k, state) -> {
            Block existing = blocks.get(k);
            if (existing != null && existing.activeAt(instant)) {
                outcome.verdict = BanVerdict.ALREADY_BLOCKED;
                return state;
            }
            // The blocks map is the truth here: a member an operator unblocked does not count.
            long blocked = blocks.values().stream()
                    .filter(block -> !block.key().equals(k) && k.contains(block.key()) && block.activeAt(instant))
                    .count();
            if (blocked < threshold) {
                outcome.verdict = BanVerdict.UNDER_LIMIT;
                return state;
            }
            if (!startBlock) {
                outcome.verdict = BanVerdict.LIMIT_EXCEEDED;
                return state;
            }
            ClientState current = state == null ? new ClientState() : state;
            ban(k, current, terms, instant, outcome);
            return current.keptAt(now);
        });
        return outcome.reported(this);
    }

    /** Starts the key's ban, escalated by what {@code state} remembers; called under the key's lock. */
    private void ban(IpPrefix key, ClientState state, BanTerms terms, Instant instant, BanOutcome outcome) {
        long now = nanos(instant);
        boolean repeat = state.banRememberedUntil > now;
        long millis = repeat
                ? terms.nextMillis(state.lastBanMillis)
                : terms.blockFor().toMillis();
        int offences = repeat ? state.offences + 1 : 1;
        if (terms.escalates()) {
            state.banRememberedUntil = now + terms.memory().toNanos();
            state.lastBanMillis = millis;
            state.offences = offences;
        }
        Block block = new Block(key, terms.reason(), instant, instant.plusMillis(millis), offences);
        outcome.ended = blocks.put(key, block);
        outcome.started = block;
        outcome.verdict = BanVerdict.started(block);
    }

    @Override
    public BanVerdict.Outcome recordAccountFailure(
            String account, int limit, Duration window, Duration lockFor, boolean startLock) {
        if (limit <= 0) {
            return accountLock(account).isPresent()
                    ? BanVerdict.Outcome.ALREADY_BLOCKED
                    : BanVerdict.Outcome.UNDER_LIMIT;
        }
        Gcra rate = Gcra.of(limit, window);
        Durations.requirePositive(lockFor, "a lock's length");
        Instant instant = clock.instant();
        long now = nanos(instant);
        BanVerdict.Outcome[] outcome = {BanVerdict.Outcome.UNDER_LIMIT};
        accounts.asMap().compute(account, (name, state) -> {
            AccountState current = state == null ? new AccountState() : state;
            if (current.lock != null && current.lock.activeAt(instant)) {
                outcome[0] = BanVerdict.Outcome.ALREADY_BLOCKED;
                return current;
            }
            current.lock = null;
            if (rate.conforms(current.failuresDrainAt, now)) {
                current.failuresDrainAt = rate.add(current.failuresDrainAt, now);
                return current;
            }
            current.failuresDrainAt = 0;
            if (!startLock) {
                outcome[0] = BanVerdict.Outcome.LIMIT_EXCEEDED;
                return null;
            }
            current.lock = new AccountLock(name, instant, instant.plus(lockFor));
            outcome[0] = BanVerdict.Outcome.BLOCK_STARTED;
            return current;
        });
        return outcome[0];
    }

    @Override
    public Optional<AccountLock> accountLock(String account) {
        Instant now = clock.instant();
        AccountState state = accounts.getIfPresent(account);
        AccountLock lock = state == null ? null : state.lock;
        return lock != null && lock.activeAt(now) ? Optional.of(lock) : Optional.empty();
    }

    @Override
    public List<AccountLock> accountLocks() {
        Instant now = clock.instant();
        return accounts.asMap().values().stream()
                .map(state -> state.lock)
                .filter(lock -> lock != null && lock.activeAt(now))
                .sorted(Comparator.comparing(AccountLock::since))
                .toList();
    }

    @Override
    public boolean unlock(String account) {
        Instant now = clock.instant();
        AccountState removed = accounts.asMap().remove(account);
        return removed != null && removed.lock != null && removed.lock.activeAt(now);
    }

    @Override
    public Optional<Block> activeBlock(IpPrefix key) {
        return Optional.ofNullable(liveBlock(key));
    }

    @Override
    public List<Block> blocks() {
        Instant now = clock.instant();
        List<Block> active = new ArrayList<>();
        for (Block block : blocks.values()) {
            if (block.activeAt(now)) {
                active.add(block);
            } else {
                expire(block);
            }
        }
        active.sort(Comparator.comparing(Block::since));
        return List.copyOf(active);
    }

    @Override
    public BlockChange block(IpPrefix key, String reason, Duration forHowLong) {
        Instant now = clock.instant();
        Block block = new Block(key, reason, now, now.plus(Durations.requirePositive(forHowLong, "a block\'s length")));
        Block[] previous = {null};
        // Under the key's lock, where harvest decisions check and start blocks: neither overwrites the other.
        clients.asMap().compute(key, (k, state) -> {
            previous[0] = blocks.put(k, block);
            return state;
        });
        saveBlocks();
        boolean replaced = previous[0] != null && previous[0].activeAt(now);
        if (previous[0] != null && !replaced) {
            listener.blockExpired(previous[0]);
        }
        listener.blockStarted(block);
        return new BlockChange(block, replaced);
    }

    @Override
    public boolean unblock(IpPrefix key) {
        long now = nowNanos();
        Block[] removed = {null};
        clients.asMap().compute(key, (k, state) -> {
            removed[0] = blocks.remove(k);
            if (state == null) {
                return null;
            }
            // A fresh start for the counts; the escalation still remembers the block.
            state.unknownRecipientsDrainAt = 0;
            state.authFailuresDrainAt = 0;
            state.refusalsDrainAt = 0;
            return state.keptAt(now);
        });
        Block lifted = removed[0];
        if (lifted == null) {
            return false;
        }
        saveBlocks();
        if (lifted.activeAt(clock.instant())) {
            listener.blockLifted(lifted);
            return true;
        }
        listener.blockExpired(lifted);
        return false;
    }

    @Override
    public OptionalInt screeningPass(IpPrefix address) {
        ScreeningPass pass = screeningPasses.getIfPresent(address);
        return pass == null ? OptionalInt.empty() : OptionalInt.of(pass.score());
    }

    @Override
    public void rememberScreeningPass(IpPrefix address, int score, Duration ttl) {
        Durations.requirePositive(ttl, "the pass cache's ttl");
        screeningPasses.put(address, new ScreeningPass(score, ttl));
    }

    private record ScreeningPass(int score, Duration ttl) {}

    /** A pass lives its own ttl from when it was written; reading it does not extend it. */
    private static final class ForItsTtl implements Expiry<IpPrefix, ScreeningPass> {
        @Override
        public long expireAfterCreate(IpPrefix address, ScreeningPass pass, long now) {
            return pass.ttl().toNanos();
        }

        @Override
        public long expireAfterUpdate(IpPrefix address, ScreeningPass pass, long now, long currentDuration) {
            return pass.ttl().toNanos();
        }

        @Override
        public long expireAfterRead(IpPrefix address, ScreeningPass pass, long now, long currentDuration) {
            return currentDuration;
        }
    }

    @Override
    public ClientCounters counters(IpPrefix key, int maxMessagesPerHour, int maxUnknownRecipients, Duration window) {
        long now = nowNanos();
        ClientState[] snapshot = {new ClientState()};
        clients.asMap().computeIfPresent(key, (k, state) -> {
            snapshot[0] = state.copy();
            return state;
        });
        ClientState state = snapshot[0];
        int messages = 0;
        int messagesLeft = -1;
        if (maxMessagesPerHour > 0) {
            messages = Gcra.of(maxMessagesPerHour, Gcra.HOUR).count(state.messagesDrainAt(), now);
            messagesLeft = Math.max(0, maxMessagesPerHour - messages);
        }
        int unknownRecipients = maxUnknownRecipients <= 0
                ? 0
                : Gcra.of(maxUnknownRecipients, window).count(state.unknownRecipientsDrainAt, now);
        return new ClientCounters(
                key, connections.getOrDefault(key, 0), messages, messagesLeft, unknownRecipients, activeBlock(key));
    }

    /** Blocks are saved on every change, so there is nothing to flush. */
    @Override
    public void close() {}

    /** Entries held, rates and connections, after pending evictions and expiries ran: for tests of the bounds. */
    long trackedEntries() {
        clients.cleanUp();
        accounts.cleanUp();
        return clients.estimatedSize() + connections.size() + accounts.estimatedSize();
    }

    /** The key's block if active; an ended one is removed (and reported once) on the way. */
    private Block liveBlock(IpPrefix key) {
        Block block = blocks.get(key);
        if (block == null || block.activeAt(clock.instant())) {
            return block;
        }
        expire(block);
        return null;
    }

    private void expire(Block block) {
        // Conditional: of two threads noticing the same end, one reports it; a newer block of the key stays.
        if (blocks.remove(block.key(), block)) {
            listener.blockExpired(block);
        }
    }

    /** Serialized, and snapshots inside the lock, so the last write always holds the latest blocks. */
    private synchronized void saveBlocks() {
        if (blockFile == null) {
            return;
        }
        Instant now = clock.instant();
        blockFile.write(
                blocks.values().stream().filter(block -> block.activeAt(now)).toList());
    }

    private long nowNanos() {
        return clock.millis() * NANOS_PER_MILLI;
    }

    private static long nanos(Instant instant) {
        return instant.toEpochMilli() * NANOS_PER_MILLI;
    }

    /** What a harvest decision found inside the compute, for the listener calls after it. */
    private static final class HarvestOutcome {
        HarvestVerdict verdict;
        Block started;
        Block ended;
    }

    /** What a ban decision found inside the compute, for the block file and listener calls after it. */
    private static final class BanOutcome {
        BanVerdict verdict;
        Block started;
        Block ended;

        BanVerdict reported(MemoryClientStore store) {
            if (ended != null) {
                store.listener.blockExpired(ended);
            }
            if (started != null) {
                store.saveBlocks();
                store.listener.blockStarted(started);
            }
            return verdict;
        }
    }

    /** One login name: its failed authentications' GCRA bucket and its lock. */
    private static final class AccountState {
        long failuresDrainAt;
        AccountLock lock;

        long nanosToKeep(long now) {
            long lockEnd = lock == null ? 0 : nanos(lock.until());
            return Math.max(0, Math.max(failuresDrainAt, lockEnd) - now);
        }
    }

    /** Keeps a login name as long as its bucket drains or its lock holds; reads do not extend it. */
    private static final class KeepAccountWhileItMatters implements Expiry<String, AccountState> {
        @Override
        public long expireAfterCreate(String account, AccountState state, long now) {
            return state.nanosToKeep(now);
        }

        @Override
        public long expireAfterUpdate(String account, AccountState state, long now, long currentDuration) {
            return state.nanosToKeep(now);
        }

        @Override
        public long expireAfterRead(String account, AccountState state, long now, long currentDuration) {
            return currentDuration;
        }
    }

    /**
     * Keeps an entry as long as its state matters, and at least a few seconds after a message was taken (a busy client
     * keeps its entry even when its bucket drains between two messages). A read sets it too: a message taken without
     * the lock is followed by a read ({@link #takeMessage}).
     */
    private static final class KeepWhileItMatters implements Expiry<IpPrefix, ClientState> {
        @Override
        public long expireAfterCreate(IpPrefix key, ClientState state, long now) {
            return state.nanosToExpire(now);
        }

        @Override
        public long expireAfterUpdate(IpPrefix key, ClientState state, long now, long currentDuration) {
            return state.nanosToExpire(now);
        }

        @Override
        public long expireAfterRead(IpPrefix key, ClientState state, long now, long currentDuration) {
            return state.nanosToExpire(now);
        }
    }

    /** Options of a {@link MemoryClientStore}; every one has a default. */
    public static final class Builder {
        private long maxTrackedClients = DEFAULT_MAX_TRACKED_CLIENTS;
        private Path blockFile;
        private BlockListener listener = BlockListener.NONE;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** The cap on keys with rates to remember (default 1,000,000); open connections are counted apart. */
        public Builder maxTrackedClients(long maxTrackedClients) {
            if (maxTrackedClients <= 0) {
                throw new IllegalArgumentException("maxTrackedClients must be positive, not " + maxTrackedClients);
            }
            this.maxTrackedClients = maxTrackedClients;
            return this;
        }

        /** Where blocks survive a restart (e.g. {@code var/smtpshield/blocks.tsv}); none by default. */
        public Builder blockFile(Path blockFile) {
            this.blockFile = Objects.requireNonNull(blockFile, "blockFile");
            return this;
        }

        public Builder listener(BlockListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public MemoryClientStore build() {
            return new MemoryClientStore(this);
        }
    }
}
