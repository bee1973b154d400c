package io.github.smtpshield.policy.store;

/**
 * What {@link MemoryClientStore} remembers of one client key: three primitives, 32 bytes with the object
 * header. Mutated only inside the cache's compute for its key, which serializes every decision of the key.
 */
final class ClientState {

    /** Admitted connections not yet disconnected. */
    int connections;
    /** {@link Gcra} bucket of accepted messages, per hour. */
    long messagesDrainAt;
    /** {@link Gcra} bucket of unknown recipients, per harvest window. */
    long unknownRecipientsDrainAt;

    /** Nothing left worth remembering at {@code now}: the entry can go. */
    boolean idleAt(long now) {
        return connections == 0 && messagesDrainAt <= now && unknownRecipientsDrainAt <= now;
    }

    /**
     * How long the entry still matters: forever while connected (so its count is never lost), else until its
     * last bucket has drained.
     */
    long nanosToKeep(long now) {
        if (connections > 0) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, Math.max(messagesDrainAt, unknownRecipientsDrainAt) - now);
    }

    ClientState copy() {
        ClientState copy = new ClientState();
        copy.connections = connections;
        copy.messagesDrainAt = messagesDrainAt;
        copy.unknownRecipientsDrainAt = unknownRecipientsDrainAt;
        return copy;
    }
}
