package io.github.smtpshield.policy.store;

/**
 * The rates {@link MemoryClientStore} remembers of one client key: GCRA timestamps, and the last ban's start for
 * escalating the next one. Mutated only inside the cache's compute for its key, which serializes every decision of the
 * key.
 */
final class ClientState {

    /** {@link Gcra} bucket of messages (taken at MAIL FROM, not given back), per hour. */
    long messagesDrainAt;
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

    /** Nothing left worth remembering at {@code now}: the entry can go. */
    boolean idleAt(long now) {
        return nanosToKeep(now) == 0;
    }

    /** How long the entry still matters: until its last bucket has drained and its last ban is forgotten. */
    long nanosToKeep(long now) {
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
