package io.github.smtpshield.policy.store.redis;

import io.github.smtpshield.policy.WarningThrottle;
import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.store.Block;
import io.github.smtpshield.policy.store.BlockListener;
import io.github.smtpshield.policy.store.StoreUnavailableException;
import io.github.smtpshield.policy.store.redis.Replies.FoundBlock;
import io.github.smtpshield.policy.store.redis.Replies.IndexEntry;
import io.github.smtpshield.policy.store.redis.Replies.ListedBlock;
import io.lettuce.core.RedisException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index that lists blocks for operators ({@code smtpshield:blocks}, client key → until), one strategy per
 * {@link Topology}. A block itself lives in its client's state hash, which every decision reads: the index only lists,
 * and a block is in force whatever the index says.
 *
 * <ul>
 *   <li>{@link OneRedis}: the scripts that start or lift a block keep the index in the same atomic step (its key is
 *       passed beside the client's, {@link #keysOf}); listing is one script.
 *   <li>{@link Cluster}: the index is in a hash slot of its own, which no decision may touch, so it is kept by calls
 *       of its own after a block starts ({@link #listed}, sent without waiting: the caller may be an SMTP I/O thread)
 *       or is lifted ({@link #forget}). An entry that could not be written is retried by the background round
 *       ({@link #retry}). Listing reads the index, then each listed client's block (authoritative), all reads in
 *       flight at once; entries without a block any more are forgotten on the way.
 * </ul>
 *
 * <p>Listing reports the ends of blocks it finds ended to the listener, once. Log lines: one WARN a minute at most
 * while a cluster's block is in force but not listed yet.
 */
abstract sealed class BlockIndex permits BlockIndex.OneRedis, BlockIndex.Cluster {
    static final Script<Optional<FoundBlock>> BLOCK_GET = Script.answering("block_get", FoundBlock::decode);

    final RedisLink link;
    final Clock clock;
    final BlockListener listener;

    BlockIndex(RedisLink link, Clock clock, BlockListener listener) {
        this.link = link;
        this.clock = clock;
        this.listener = listener;
    }

    static BlockIndex of(Topology topology, RedisLink link, Clock clock, BlockListener listener) {
        return topology.indexBesideClientKeys()
                ? new OneRedis(link, clock, listener)
                : new Cluster(link, clock, listener);
    }

    /** The keys of a decision about one client that may start or end a block: the client's, and the index if it may. */
    abstract String[] keysOf(String... clientKeys);

    /** A block of {@code key} until {@code until} started (or replaced another): list it, if its script could not. */
    abstract void listed(IpPrefix key, long until);

    /** An operator lifted the block of {@code key}, if it had one (until then): forget it, if its script could not. */
    abstract void forget(IpPrefix key, Optional<Long> until);

    /** Every active block, oldest first. */
    abstract List<Block> blocks();

    /** The background round: lists again what could not be listed. */
    abstract void retry();

    static List<Block> oldestFirst(List<Block> blocks) {
        blocks.sort(Comparator.comparing(Block::since));
        return List.copyOf(blocks);
    }

    /** One Redis: every script may touch the index beside the client's keys. */
    static final class OneRedis extends BlockIndex {
        private static final Script<List<ListedBlock>> BLOCKS = Script.answering("blocks", ListedBlock::decodeAll);

        OneRedis(RedisLink link, Clock clock, BlockListener listener) {
            super(link, clock, listener);
        }

        @Override
        String[] keysOf(String... clientKeys) {
            String[] keys = Arrays.copyOf(clientKeys, clientKeys.length + 1);
            keys[clientKeys.length] = Keys.BLOCK_INDEX;
            return keys;
        }

        @Override
        void listed(IpPrefix key, long until) {}

        @Override
        void forget(IpPrefix key, Optional<Long> until) {}

        @Override
        List<Block> blocks() {
            List<Block> active = new ArrayList<>();
            for (ListedBlock listed :
                    link.decide(BLOCKS, new String[] {Keys.BLOCK_INDEX}, Long.toString(clock.millis()), Keys.PREFIX)) {
                Block block = listed.found().block().of(listed.key());
                if (listed.found().ended()) {
                    listener.blockExpired(block);
                } else {
                    active.add(block);
                }
            }
            return oldestFirst(active);
        }

        @Override
        void retry() {}
    }

    /** A Redis Cluster: the index is in a slot of its own, kept by calls of its own. */
    static final class Cluster extends BlockIndex {
        private static final Logger LOG = LoggerFactory.getLogger(RedisClientStore.class);
        private static final Script<Long> INDEX_ADD = Script.answeringANumber("index_add");
        private static final Script<Long> INDEX_FORGET = Script.answeringANumber("index_forget");
        private static final Script<List<IndexEntry>> INDEX_READ =
                Script.answering("index_read", IndexEntry::decodeAll);
        private static final String[] INDEX = {Keys.BLOCK_INDEX};

        /** Blocks whose index entry could not be written yet (key -> until), retried by the background round. */
        private final ConcurrentMap<IpPrefix, Long> unlisted = new ConcurrentHashMap<>();

        private final WarningThrottle unlistedWarnings = WarningThrottle.perMinute();

        Cluster(RedisLink link, Clock clock, BlockListener listener) {
            super(link, clock, listener);
        }

        @Override
        String[] keysOf(String... clientKeys) {
            return clientKeys;
        }

        /** Without waiting: a failure leaves the block in force and is retried; only the listing misses it meanwhile. */
        @Override
        void listed(IpPrefix key, long until) {
            long now = clock.millis();
            if (until <= now) {
                unlisted.remove(key, until);
                return;
            }
            try {
                link.start(INDEX_ADD, INDEX, Long.toString(now), key.toString(), Long.toString(until))
                        .whenComplete((added, failure) -> {
                            if (failure == null) {
                                unlisted.remove(key, until);
                            } else {
                                notListedYet(key, until, link.reason(failure));
                            }
                        });
            } catch (StoreUnavailableException | RedisException e) {
                notListedYet(key, until, e.getMessage());
            }
        }

        @Override
        void forget(IpPrefix key, Optional<Long> until) {
            unlisted.remove(key);
            if (until.isEmpty()) {
                return;
            }
            try {
                link.decide(
                        INDEX_FORGET, INDEX, Long.toString(clock.millis()), key.toString(), Long.toString(until.get()));
            } catch (StoreUnavailableException e) {
                LOG.debug("SMTP Shield: the block index forgets {} at its next listing", key, e);
            }
        }

        /** The index names the keys; each key's hash (in its own slot) says whether its block still holds. */
        @Override
        List<Block> blocks() {
            String now = Long.toString(clock.millis());
            List<IndexEntry> index = link.decide(INDEX_READ, INDEX, now);
            List<CompletionStage<Optional<FoundBlock>>> reads = new ArrayList<>();
            for (IndexEntry entry : index) {
                reads.add(link.start(
                        BLOCK_GET,
                        new String[] {Keys.state(entry.key())},
                        now,
                        entry.key().toString()));
            }
            List<Optional<FoundBlock>> found = link.awaitAll(BLOCK_GET, reads);
            List<Block> active = new ArrayList<>();
            List<String> forget = new ArrayList<>(List.of(now));
            for (int i = 0; i < index.size(); i++) {
                IndexEntry entry = index.get(i);
                Optional<FoundBlock> block = found.get(i);
                if (block.isPresent() && !block.get().ended()) {
                    active.add(block.get().block().of(entry.key()));
                    continue;
                }
                block.ifPresent(ended -> listener.blockExpired(ended.block().of(entry.key())));
                forget.add(entry.key().toString());
                forget.add(Long.toString(entry.until()));
            }
            if (forget.size() > 1) {
                try {
                    link.decide(INDEX_FORGET, INDEX, forget.toArray(String[]::new));
                } catch (StoreUnavailableException e) {
                    LOG.debug(
                            "SMTP Shield: the block index keeps {} keys without a block until the next listing",
                            forget.size() / 2,
                            e);
                }
            }
            return oldestFirst(active);
        }

        @Override
        void retry() {
            unlisted.forEach(this::listed);
        }

        private void notListedYet(IpPrefix key, long until, String why) {
            unlisted.put(key, until);
            if (unlistedWarnings.record() > 0) {
                LOG.warn("SMTP Shield: the block of {} is in force but not listed yet ({}); retrying", key, why);
            }
        }
    }
}
