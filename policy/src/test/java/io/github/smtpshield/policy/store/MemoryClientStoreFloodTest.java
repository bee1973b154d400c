package io.github.smtpshield.policy.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.testing.ClientAddresses;
import io.github.smtpshield.testing.RetainedHeap;
import java.lang.ref.Reference;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Bounded memory under spoofed sources, at a reduced cap: two million distinct client keys, each
 * doing everything a client can do to the store, leave at most {@code maxTrackedClients} entries and a heap within
 * the cap's budget (256 bytes a key, the figure the README promises). The full-size run is
 * {@code bench/.../SpoofedSourceFlood}.
 */
class MemoryClientStoreFloodTest {
    private static final int CAP = 20_000;
    private static final int KEYS = 2_000_000;
    private static final long BYTES_PER_KEY_BUDGET = 256;
    /** What the heap measure itself wobbles by (class loading, JIT, GC bookkeeping), apart from the store. */
    private static final long SLACK = 8L << 20;

    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void millionsOfDistinctClientsStayUnderTheCapAndTheHeapBudget() throws Exception {
        MemoryClientStore warmUp =
                MemoryClientStore.builder().maxTrackedClients(CAP).build();
        flood(warmUp, 0, 50_000);
        warmUp = null;
        long before = RetainedHeap.usedAfterCollections();

        MemoryClientStore store =
                MemoryClientStore.builder().maxTrackedClients(CAP).build();
        try {
            flood(store, 100_000, KEYS);
            long entries = store.trackedEntries();
            long retained = RetainedHeap.usedAfterCollections() - before;

            System.out.printf(
                    "MemoryClientStoreFloodTest: %,d keys, cap %,d: %,d entries tracked, %,d bytes retained (%.0f per cap entry)%n",
                    KEYS, CAP, entries, retained, retained / (double) CAP);
            assertThat(entries).isLessThanOrEqualTo(CAP);
            assertThat(retained).isLessThanOrEqualTo(CAP * BYTES_PER_KEY_BUDGET + SLACK);
            // Still a working store: a fresh client is counted, and a client that connected and left holds nothing.
            IpPrefix fresh = key(KEYS + 200_000);
            store.takeMessage(fresh, 200, true);
            assertThat(store.counters(fresh, 200, 10, HOUR).messages()).isEqualTo(1);
            assertThat(store.counters(key(150_000), 200, 10, HOUR).connections())
                    .isZero();
        } finally {
            // The store must stay reachable until the heap is measured.
            Reference.reachabilityFence(store);
        }
    }

    /** Each key connects and leaves, takes a message of its budget and hits an unknown recipient. */
    private static void flood(MemoryClientStore store, int first, int count) {
        for (int i = first; i < first + count; i++) {
            IpPrefix key = key(i);
            assertThat(store.tryConnect(key, 10)).isEqualTo(Admission.ADMITTED);
            store.takeMessage(key, 200, false);
            store.recordUnknownRecipient(key, 10, HOUR, HOUR, true);
            store.disconnect(key);
        }
    }

    private static IpPrefix key(int i) {
        return IpPrefix.clientKey(ClientAddresses.mixed(i));
    }
}
