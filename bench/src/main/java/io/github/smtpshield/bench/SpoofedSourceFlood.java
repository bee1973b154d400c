package io.github.smtpshield.bench;

import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.store.MemoryClientStore;
import io.github.smtpshield.testing.RetainedHeap;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Bounded memory under spoofed sources, full size: a memory store at its default cap (1,000,000 keys) fed ten
 * million distinct client keys (three in four IPv4, one in four IPv6 /64), each connecting and leaving, asking for
 * its message budget, sending a message and hitting an unknown recipient. Prints the entries it still tracks, the
 * heap it retains after full collections and the time per key. The CI test at a reduced cap is
 * {@code MemoryClientStoreFloodTest}.
 *
 * <pre>java -Xmx2g -XX:+UseSerialGC -cp bench/target/benchmarks.jar io.github.smtpshield.bench.SpoofedSourceFlood [keys] [cap]</pre>
 */
public final class SpoofedSourceFlood {

    private SpoofedSourceFlood() {}

    public static void main(String[] args) throws InterruptedException {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        long cap = args.length > 1 ? Long.parseLong(args[1]) : MemoryClientStore.DEFAULT_MAX_TRACKED_CLIENTS;
        Duration hour = Duration.ofHours(1);

        long before = RetainedHeap.usedAfterCollections();
        MemoryClientStore store =
                MemoryClientStore.builder().maxTrackedClients(cap).build();
        long started = System.nanoTime();
        long peak = 0;
        for (int i = 0; i < keys; i++) {
            IpPrefix key = Clients.key(i);
            if (!store.tryConnect(key, 10).admitted()) {
                throw new IllegalStateException("a fresh key was not admitted: " + key);
            }
            store.takeMessage(key, 200, false);
            store.recordUnknownRecipient(key, 10, hour, hour, true);
            store.disconnect(key);
            if (i % 1_000_000 == 999_999) {
                peak = Math.max(
                        peak,
                        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            }
        }
        long nanos = System.nanoTime() - started;
        Thread.sleep(1000); // lets Caffeine's asynchronous maintenance settle
        long retained = RetainedHeap.usedAfterCollections() - before;
        long tracked = store.blocks().size();

        System.out.printf("keys fed: %,d at a cap of %,d%n", keys, cap);
        System.out.printf("time: %.2f s, %.0f ns per key (5 store calls)%n", nanos / 1e9, nanos / (double) keys);
        System.out.printf(
                "retained heap after full GC: %,d bytes = %.1f bytes per cap entry (budget 256); blocks held: %,d%n",
                retained, retained / (double) cap, tracked);
        System.out.printf("heap used at a million-key mark, at most: %,d bytes%n", peak);
    }
}
