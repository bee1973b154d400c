package io.github.smtpshield.policy.store.redis;

import java.time.Duration;

/**
 * A GCRA rate of {@code limit} events per window in milliseconds, as the scripts use it: each event adds
 * {@code interval = window / limit} to the bucket's drain time; an event conforms while the bucket, with it,
 * holds no more than the window (the memory store's {@code Gcra}, in Redis's milliseconds).
 */
record Rate(long window, long interval) {

    static Rate of(int limit, Duration window) {
        if (limit <= 0 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a rate needs a positive limit and window: " + limit + " per " + window);
        }
        long windowMillis = Math.max(1, window.toMillis());
        return new Rate(windowMillis, Math.max(1, windowMillis / limit));
    }

    /** Events still in a bucket that drains at {@code drainAt}, rounded up. */
    int count(long drainAt, long now) {
        if (drainAt <= now) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE, (drainAt - now + interval - 1) / interval);
    }
}
