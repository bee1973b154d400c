package io.github.smtpshield.policy.store;

import java.util.Objects;

/**
 * The store's answer to a new connection.
 *
 * @param outcome what to do with the connection
 * @param block the block that refuses it when {@code outcome} is {@link Outcome#BLOCKED}, otherwise null
 */
public record Admission(Outcome outcome, Block block) {

    public enum Outcome {
        /** Counted: the adapter must call {@link ClientStore#disconnect} when it closes. */
        ADMITTED,
        /**
         * The client already had as many connections as allowed, but the caller asked to count this one anyway (a
         * rule in observe mode): counted, so released like {@link #ADMITTED}.
         */
        COUNTED_OVER_LIMIT,
        /** The client already has as many connections as allowed; not counted. */
        TOO_MANY_CONNECTIONS,
        /** The client key is blocked; not counted. */
        BLOCKED
    }

    public static final Admission ADMITTED = new Admission(Outcome.ADMITTED, null);
    public static final Admission COUNTED_OVER_LIMIT = new Admission(Outcome.COUNTED_OVER_LIMIT, null);
    public static final Admission TOO_MANY_CONNECTIONS = new Admission(Outcome.TOO_MANY_CONNECTIONS, null);

    public Admission {
        Objects.requireNonNull(outcome, "outcome");
        if ((outcome == Outcome.BLOCKED) != (block != null)) {
            throw new IllegalArgumentException("a block goes with BLOCKED and only with BLOCKED");
        }
    }

    public static Admission blocked(Block block) {
        return new Admission(Outcome.BLOCKED, Objects.requireNonNull(block, "block"));
    }

    /** The connection was counted ({@link Outcome#ADMITTED} or {@link Outcome#COUNTED_OVER_LIMIT}): release it. */
    public boolean admitted() {
        return outcome == Outcome.ADMITTED || outcome == Outcome.COUNTED_OVER_LIMIT;
    }
}
