package io.github.smtpshield.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Heap in use after full collections: what a data structure retains, measured as a difference of two of these. */
public final class RetainedHeap {
    private RetainedHeap() {}

    /** The least heap in use over a few full GCs (one may run while a reference is still being cleared). */
    public static long usedAfterCollections() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
