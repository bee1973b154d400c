package io.github.smtpshield.bench;

import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.store.MemoryClientStore;
import io.github.smtpshield.testing.RetainedHeap;
import java.time.Duration;

/**
 * Retained heap per tracked client: fills a memory store with a million clients (its default cap), each with
 * a message and an unknown recipient counted, and compares the used heap after full collections.
 *
 * <pre>java -Xmx2g -XX:+UseSerialGC -cp bench/target/benchmarks.jar io.github.smtpshield.bench.HeapPerClient [clients]</pre>
 */
public final class HeapPerClient {

    private HeapPerClient() {}

    public static void main(String[] args) throws InterruptedException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : (int) MemoryClientStore.DEFAULT_MAX_TRACKED_CLIENTS;
        Duration hour = Duration.ofHours(1);

        long before = RetainedHeap.usedAfterCollections();
        MemoryClientStore store = MemoryClientStore.builder().build();
        for (IpPrefix key : Clients.keys(count)) {
            store.takeMessage(key, 200, false);
            store.recordUnknownRecipient(key, 10, hour, hour, true);
        }
        Thread.sleep(1000); // lets Caffeine's asynchronous maintenance settle
        long after = RetainedHeap.usedAfterCollections();

        int tracked = 0;
        for (IpPrefix key : Clients.keys(count)) {
            tracked += store.counters(key, 200, 10, hour).unknownRecipients();
        }
        System.out.printf(
                "clients: %,d (still tracked: %,d)%nretained heap: %,d bytes = %.1f bytes per client%n",
                count, tracked, after - before, (after - before) / (double) count);
    }
}
