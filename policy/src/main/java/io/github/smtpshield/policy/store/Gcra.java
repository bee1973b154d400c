package io.github.smtpshield.policy.store;

import java.time.Duration;

/**
 * A rate of {@code limit} events per {@code window} by the generic cell rate algorithm: a leaky bucket kept
 * as one timestamp per client, {@code drainAt}, the instant the bucket is empty again. Each event adds
 * {@code interval = window / limit}; an event conforms while the bucket, with it, holds no more than the
 * window: a quiet client bursts {@code limit} events, then one per interval.
 *
 * <p>Times are in one unit per store: nanoseconds on the memory store's clock ({@link #of}), milliseconds in
 * the Redis store's scripts ({@link #inMillis}). A {@code drainAt} of 0 is an empty bucket.
 */
public record Gcra(long window, long interval) {

    static final Duration HOUR = Duration.ofHours(1);

    /** The rate in nanoseconds. */
    public static Gcra of(int limit, Duration window) {
        return of(limit, window, window.toNanos());
    }

    /** The rate in milliseconds (at least 1 ms). */
    public static Gcra inMillis(int limit, Duration window) {
        return of(limit, window, Math.max(1, window.toMillis()));
    }

    private static Gcra of(int limit, Duration window, long windowInUnits) {
        if (limit <= 0 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a rate needs a positive limit and window: " + limit + " per " + window);
        }
        // At least 1 unit so that huge limits stay exact enough and never divide by zero.
        return new Gcra(windowInUnits, Math.max(1, windowInUnits / limit));
    }

    /** True if one more event at {@code now} stays within the limit. */
    boolean conforms(long drainAt, long now) {
        return Math.max(drainAt, now) - now <= window - interval;
    }

    /** The bucket after one more event at {@code now}. */
    long add(long drainAt, long now) {
        return Math.max(drainAt, now) + interval;
    }

    /**
     * The bucket after an event whose add left it draining at {@code addedDrainAt} is taken back at {@code now}: by
     * the part of that event not drained yet, at most one interval. 0 (empty) when nothing is left.
     */
    long takeBack(long drainAt, long addedDrainAt, long now) {
        long after = drainAt - Math.min(interval, Math.max(0, addedDrainAt - now));
        return after > now ? after : 0;
    }

    /** Events still in the bucket at {@code now}, rounded up: the count an operator expects to see. */
    public int count(long drainAt, long now) {
        if (drainAt <= now) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE, (drainAt - now + interval - 1) / interval);
    }
}
