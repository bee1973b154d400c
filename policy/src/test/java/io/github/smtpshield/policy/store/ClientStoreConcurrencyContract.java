package io.github.smtpshield.policy.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.net.IpPrefix;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many threads deciding about the same keys: every decision stays exact. One subclass per {@link ClientStore}
 * implementation; {@link #operations} scales the work to the store's speed.
 */
abstract class ClientStoreConcurrencyContract {

    static final int THREADS = 8;
    static final Duration HOUR = Duration.ofHours(1);

    final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T10:00:00Z"));
    final ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    ClientStore store;

    abstract ClientStore newStore(Clock clock);

    abstract long trackedEntries();

    /** How many times each thread repeats the contended decision in the heaviest test. */
    abstract int operations();

    @BeforeEach
    void openStore() {
        store = newStore(clock);
    }

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        store.close();
    }

    <T> List<T> onAllThreads(Callable<T> work) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            futures.add(threads.submit(() -> {
                start.await();
                return work.call();
            }));
        }
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get(60, TimeUnit.SECONDS));
        }
        return results;
    }

    @Test
    @SuppressWarnings("ThreadPriorityCheck") // yielding varies the interleavings
    void connectionsNeverExceedTheLimitAndReturnToZero() throws Exception {
        int limit = 3;
        IpPrefix[] keys = new IpPrefix[8];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = IpPrefix.parse("203.0.113." + i);
        }
        AtomicIntegerArray open = new AtomicIntegerArray(keys.length);
        AtomicInteger highest = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();

        onAllThreads(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < operations(); i++) {
                int k = random.nextInt(keys.length);
                if (!store.tryConnect(keys[k], limit).admitted()) {
                    refused.incrementAndGet();
                    continue;
                }
                highest.accumulateAndGet(open.incrementAndGet(k), Math::max);
                if (random.nextBoolean()) {
                    Thread.yield();
                }
                open.decrementAndGet(k);
                store.disconnect(keys[k]);
            }
            return null;
        });

        assertThat(highest.get()).isLessThanOrEqualTo(limit);
        assertThat(refused.get()).as("the limit was contended").isPositive();
        for (IpPrefix key : keys) {
            assertThat(store.counters(key, 0, 0, HOUR).connections()).isZero();
        }
        assertThat(trackedEntries()).isZero();
    }

    @Test
    void theStoreCountNeverExceedsTheLimitWhileConnectionsPileUp() throws Exception {
        IpPrefix key = IpPrefix.parse("2001:db8::/64");

        List<Integer> admitted = onAllThreads(() -> {
            int mine = 0;
            for (int i = 0; i < Math.max(1000 / THREADS + 1, operations() / 5); i++) {
                if (store.tryConnect(key, 1000).admitted()) {
                    mine++;
                }
            }
            return mine;
        });

        assertThat(admitted.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1000);
        assertThat(store.counters(key, 0, 0, HOUR).connections()).isEqualTo(1000);
        onAllThreads(() -> {
            for (int i = 0; i < 1000 / THREADS; i++) {
                store.disconnect(key);
            }
            return null;
        });
        assertThat(store.counters(key, 0, 0, HOUR).connections()).isZero();
    }

    /** Observe mode's connections (counted over the limit) while an operator blocks and lifts the key. */
    @Test
    void blocksStartingAndEndingAmidCountedConnectionsLeaveNoCountBehind() throws Exception {
        IpPrefix key = IpPrefix.parse("203.0.113.9");
        AtomicInteger tickets = new AtomicInteger();
        ConcurrentHashMap<Admission.Outcome, AtomicInteger> outcomes = new ConcurrentHashMap<>();

        AtomicInteger connectorsDone = new AtomicInteger();
        // The operator blocks and lifts while any connector runs; a connector runs its share, and on (bounded) until
        // it has met a block, so that a scheduler running the threads one after another cannot leave it unmet.
        onAllThreads(() -> {
            boolean operator = tickets.getAndIncrement() == 0;
            if (operator) {
                for (int i = 0; connectorsDone.get() < THREADS - 1 && i < 1000 * operations(); i++) {
                    store.block(key, "operator", HOUR);
                    store.unblock(key);
                }
                return null;
            }
            for (int i = 0;
                    i < operations() / 4 || (!outcomes.containsKey(Admission.Outcome.BLOCKED) && i < 10 * operations());
                    i++) {
                Admission admission = store.tryConnect(key, 2, true);
                outcomes.computeIfAbsent(admission.outcome(), o -> new AtomicInteger())
                        .incrementAndGet();
                if (admission.admitted()) {
                    store.disconnect(key);
                }
            }
            connectorsDone.incrementAndGet();
            return null;
        });

        assertThat(outcomes).doesNotContainKey(Admission.Outcome.TOO_MANY_CONNECTIONS);
        assertThat(outcomes).as("the blocks were contended").containsKey(Admission.Outcome.BLOCKED);
        assertThat(store.counters(key, 0, 0, HOUR).connections()).isZero();
    }

    /** Block-or-replace is one decision: of operators blocking one key at once, exactly one makes a new block. */
    @Test
    void ofConcurrentBlocksOfOneKeyExactlyOneIsNew() throws Exception {
        for (int round = 0; round < 20; round++) {
            IpPrefix key = IpPrefix.parse("198.51.100." + round);

            List<Boolean> replaced =
                    onAllThreads(() -> store.block(key, "operator", HOUR).replaced());

            assertThat(replaced).as("round %d", round).containsOnlyOnce(false);
        }
    }

    @Test
    void exactlyOneUnknownRecipientStartsTheBlock() throws Exception {
        IpPrefix key = IpPrefix.parse("203.0.113.5");
        ConcurrentHashMap<HarvestVerdict, AtomicInteger> verdicts = new ConcurrentHashMap<>();

        onAllThreads(() -> {
            for (int i = 0; i < 1000; i++) {
                HarvestVerdict verdict = store.recordUnknownRecipient(key, 100, HOUR, HOUR, true);
                verdicts.computeIfAbsent(verdict, v -> new AtomicInteger()).incrementAndGet();
            }
            return null;
        });

        assertThat(verdicts.get(HarvestVerdict.UNDER_LIMIT)).hasValue(100);
        assertThat(verdicts.get(HarvestVerdict.BLOCK_STARTED)).hasValue(1);
        assertThat(verdicts.get(HarvestVerdict.ALREADY_BLOCKED)).hasValue(THREADS * 1000 - 101);
    }

    @Test
    void ofManyParallelSessionsExactlyOneTakesTheLastMessage() throws Exception {
        IpPrefix key = IpPrefix.parse("203.0.113.5");
        for (int i = 0; i < 9; i++) {
            assertThat(store.takeMessage(key, 10, false)).isPresent();
        }

        List<Boolean> took =
                onAllThreads(() -> store.takeMessage(key, 10, false).isPresent());

        assertThat(took).containsOnlyOnce(true);
        assertThat(store.counters(key, 10, 0, HOUR).messages()).isEqualTo(10);
    }

    @Test
    void slotsTakenAndGivenBackInParallelLeaveTheBudgetWhole() throws Exception {
        IpPrefix key = IpPrefix.parse("203.0.113.5");
        int limit = 5;

        List<Integer> taken = onAllThreads(() -> {
            int count = 0;
            for (int i = 0; i < operations() / 10; i++) {
                var slot = store.takeMessage(key, limit, false);
                if (slot.isPresent()) {
                    count++;
                    store.returnMessage(key, limit, slot.get());
                }
            }
            return count;
        });

        assertThat(taken.stream().mapToInt(Integer::intValue).sum()).isPositive();
        assertThat(store.counters(key, limit, 0, HOUR).messages()).isZero();
        assertThat(trackedEntries()).isZero();
    }

    @Test
    void everyAcceptedMessageIsCounted() throws Exception {
        IpPrefix key = IpPrefix.parse("203.0.113.5");

        onAllThreads(() -> {
            for (int i = 0; i < 500; i++) {
                store.takeMessage(key, 10_000, true);
            }
            return null;
        });

        assertThat(store.counters(key, 10_000, 0, HOUR).messages()).isEqualTo(THREADS * 500);
    }
}
