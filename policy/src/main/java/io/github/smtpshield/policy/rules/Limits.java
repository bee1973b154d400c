package io.github.smtpshield.policy.rules;

/** The store counts in ints; a limit beyond that is as good as no limit. */
public final class Limits {
    static final int OFF = 0;

    private Limits() {}

    /** A limit {@code <= 0} stays off. */
    public static int asInt(long limit) {
        return (int) Math.max(OFF, Math.min(limit, Integer.MAX_VALUE));
    }
}
