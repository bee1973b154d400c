package io.github.smtpshield.policy.store;

/**
 * The rates {@link MemoryClientStore} remembers of one client key: two GCRA timestamps, 32 bytes with the
 * object header. Mutated only inside the cache's compute for its key, which serializes every decision of the key.
 */
final class ClientState {

    /** {@link Gcra} bucket of messages (taken at MAIL FROM, not given back), per hour. */
    long messagesDrainAt;
    /** {@link Gcra} bucket of unknown recipients, per harvest window. */
    long unknownRecipientsDrainAt;

    /** Nothing left worth remembering at {@code now}: the entry can go. */
    boolean idleAt(long now) {
        return messagesDrainAt <= now && unknownRecipientsDrainAt <= now;
    }

    /** How long the entry still matters: until its last bucket has drained. */
    long nanosToKeep(long now) {
        return Math.max(0, Math.max(messagesDrainAt, unknownRecipientsDrainAt) - now);
    }

    ClientState copy() {
        ClientState copy = new ClientState();
        copy.messagesDrainAt = messagesDrainAt;
        copy.unknownRecipientsDrainAt = unknownRecipientsDrainAt;
        return copy;
    }
}
