package io.github.smtpshield.policy.store;

import io.github.smtpshield.policy.config.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * How long a ban lasts: {@code blockFor} for a first offence; a key blocked again within {@code memory} of its
 * previous block's start gets {@code factor} times that block's length, at most {@code max} (never less than
 * {@code blockFor}). Without escalation ({@link #once}) every block lasts {@code blockFor}.
 *
 * @param reason   the block's reason ({@link Block#AUTH}, {@link Block#REPEATED}, {@link Block#NETWORK})
 * @param blockFor the first offence's length
 * @param factor   the growth from one block to the next, at least 1
 * @param max      the longest block
 * @param memory   how long a block's start is remembered for the next one; zero: not at all
 */
public record BanTerms(String reason, Duration blockFor, double factor, Duration max, Duration memory) {

    public BanTerms {
        Objects.requireNonNull(reason, "reason");
        Durations.requirePositive(blockFor, "blockFor");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(memory, "memory");
        if (!(factor >= 1) || memory.isNegative()) {
            throw new IllegalArgumentException("an escalation needs a factor >= 1 and a memory >= 0");
        }
    }

    /** Every block of {@code reason} lasts {@code blockFor}, and none is remembered. */
    public static BanTerms once(String reason, Duration blockFor) {
        return new BanTerms(reason, blockFor, 1, blockFor, Duration.ZERO);
    }

    /** Whether a block's start is remembered for escalating the next one. */
    public boolean escalates() {
        return !memory.isZero();
    }

    /** The length of the next block after one of {@code previous}; at least {@code blockFor}, at most {@code max}. */
    public long nextMillis(long previous) {
        double grown = previous * factor;
        long capped = grown >= max.toMillis() ? max.toMillis() : (long) grown;
        return Math.max(blockFor.toMillis(), capped);
    }
}
