package io.github.smtpshield.policy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * At most one WARN line per interval for one kind of trouble, however often it happens (a Redis that is down hits
 * every decision): the first occurrence is logged at once, then one line an interval, each saying how many
 * occurrences it covers. Lock-free: of the threads that meet a due line, exactly one gets it.
 */
public final class WarningThrottle {
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong nextLine;
    private final AtomicLong sinceLastLine = new AtomicLong();

    WarningThrottle(Duration interval, LongSupplier nanoTime) {
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
        this.nextLine = new AtomicLong(nanoTime.getAsLong());
    }

    /** One line a minute at most, on {@link System#nanoTime}. */
    public static WarningThrottle perMinute() {
        return new WarningThrottle(Duration.ofMinutes(1), System::nanoTime);
    }

    /**
     * Counts one occurrence.
     *
     * @return 0 when no line is due; else the occurrences since the last line, this one included: log the line now
     */
    public long record() {
        long occurrences = sinceLastLine.incrementAndGet();
        long now = nanoTime.getAsLong();
        long due = nextLine.get();
        if (now - due < 0 || !nextLine.compareAndSet(due, now + intervalNanos)) {
            return 0;
        }
        sinceLastLine.addAndGet(-occurrences);
        return occurrences;
    }
}
