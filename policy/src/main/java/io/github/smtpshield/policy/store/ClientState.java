package io.github.smtpshield.policy.store;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.LongUnaryOperator;

/**
 * The rates {@link MemoryClientStore} remembers of one client key: GCRA timestamps, and the last ban's start for
 * escalating the next one. Mutated inside the cache's compute for its key, which serializes every decision of the
 * key; the one exception is the message bucket, which a take also changes without the lock, so every change of it
 * is a compare-and-set.
 */
final class ClientState {
    private static final AtomicLongFieldUpdater<ClientState> MESSAGES_DRAIN_AT =
            AtomicLongFieldUpdater.newUpdater(ClientState.class, "messagesDrainAt");

    /** The message bucket of a state out of the store; no take changes it. */
    static final long RETIRED = Long.MIN_VALUE;

    /**
     * How long an entry is kept after a message was taken, at least, drained or not: a client that sends more often
     * keeps its entry, and its takes need no lock, rather than making a new entry per message.
     */
    private static final long NANOS_KEPT_AFTER_TAKE = TimeUnit.SECONDS.toNanos(10);

    /** {@link Gcra} bucket of messages (taken at MAIL FROM), per hour: read and changed only by the methods below. */
    private volatile long messagesDrainAt;
    /** When the last message was taken: for the entry's expiry only, it counts nothing. */
    private volatile long messageTakenAt;
    /** {@link Gcra} bucket of unknown recipients, per harvest window. */
    long unknownRecipientsDrainAt;
    /** {@link Gcra} bucket of failed authentications, per {@code authFailures} window. */
    long authFailuresDrainAt;
    /** {@link Gcra} bucket of the shield's refusals, per {@code repeatedRefusals} window. */
    long refusalsDrainAt;
    /** Until when the last ban is remembered for escalation (its start plus the memory); 0: none. */
    long banRememberedUntil;
    /** The last ban's length, in milliseconds, while it is remembered. */
    long lastBanMillis;
    /** The last ban's offence count, while it is remembered. */
    int offences;

    long messagesDrainAt() {
        return messagesDrainAt;
    }

    /** Sets the message bucket to {@code next} if it still is {@code expected}. */
    boolean messagesDrainAt(long expected, long next) {
        return MESSAGES_DRAIN_AT.compareAndSet(this, expected, next);
    }

    /** Changes the message bucket by {@code change}, whatever takes happen meanwhile. */
    void updateMessagesDrainAt(LongUnaryOperator change) {
        MESSAGES_DRAIN_AT.updateAndGet(this, change);
    }

    /**
     * This state, to keep, or null when at {@code now} nothing is left worth remembering and the entry can go; a state
     * let go is retired, atomically with the check, so that a take without the lock cannot count on it.
     */
    ClientState keptAt(long now) {
        while (true) {
            long drainAt = messagesDrainAt;
            if (nanosToKeep(now, drainAt) > 0) {
                return this;
            }
            if (messagesDrainAt(drainAt, RETIRED)) {
                return null;
            }
        }
    }

    /** Out of the store (evicted, expired or let go): its message bucket takes nothing more. */
    void retire() {
        messagesDrainAt = RETIRED;
    }

    boolean retired() {
        return messagesDrainAt == RETIRED;
    }

    void messageTaken(long now) {
        messageTakenAt = now;
    }

    /** How long the cache keeps the entry: as long as it matters, and a while after a message was taken. */
    long nanosToExpire(long now) {
        return Math.max(nanosToKeep(now), messageTakenAt + NANOS_KEPT_AFTER_TAKE - now);
    }

    /** How long the entry still matters: until its last bucket has drained and its last ban is forgotten. */
    long nanosToKeep(long now) {
        return nanosToKeep(now, messagesDrainAt);
    }

    private long nanosToKeep(long now, long messagesDrainAt) {
        long last = Math.max(
                Math.max(messagesDrainAt, unknownRecipientsDrainAt),
                Math.max(Math.max(authFailuresDrainAt, refusalsDrainAt), banRememberedUntil));
        return Math.max(0, last - now);
    }

    long drainAt(ClientStore.Offence offence) {
        return offence == ClientStore.Offence.AUTH_FAILURE ? authFailuresDrainAt : refusalsDrainAt;
    }

    void drainAt(ClientStore.Offence offence, long drainAt) {
        if (offence == ClientStore.Offence.AUTH_FAILURE) {
            authFailuresDrainAt = drainAt;
        } else {
            refusalsDrainAt = drainAt;
        }
    }

    ClientState copy() {
        ClientState copy = new ClientState();
        copy.messagesDrainAt = messagesDrainAt;
        copy.unknownRecipientsDrainAt = unknownRecipientsDrainAt;
        copy.authFailuresDrainAt = authFailuresDrainAt;
        copy.refusalsDrainAt = refusalsDrainAt;
        copy.banRememberedUntil = banRememberedUntil;
        copy.lastBanMillis = lastBanMillis;
        copy.offences = offences;
        return copy;
    }
}
