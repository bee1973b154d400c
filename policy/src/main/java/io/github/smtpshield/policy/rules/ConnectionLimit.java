package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Enforcement;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.store.Admission;
import io.github.smtpshield.policy.store.ClientStore;
import java.util.Optional;

/**
 * Kerio's "max. number of concurrent SMTP connections" per client, and the door that blocked clients find shut.
 * Counts: open connections per client key. Answers at connect: {@link Refusal#BLOCKED} while the key is blocked,
 * {@link Refusal#TOO_MANY_CONNECTIONS} for the connection over the limit; the adapter then closes.
 */
public final class ConnectionLimit {
    private final Limit limit;
    private final ClientStore store;
    private final Enforcement enforcement;

    public ConnectionLimit(Limit limit, ClientStore store, Enforcement enforcement) {
        this.limit = limit;
        this.store = store;
        this.enforcement = enforcement;
    }

    /** A new connection; when it is admitted it holds a slot until {@link #release}. */
    public Optional<Refusal> admit(ClientConnection client) {
        // Observe mode: the connection over the limit goes on, so it counts like any other, in the same decision.
        Admission admission = store.tryConnect(client.key(), Limits.asInt(limit.value()), limit.mode() == Mode.OBSERVE);
        if (admission.admitted()) {
            client.holdConnectionSlot();
        }
        return switch (admission.outcome()) {
            case ADMITTED -> Optional.empty();
            // Blocks are enforced whatever the harvest rule's mode: observe mode never starts one, so this
            // one is an operator's or was started while the rule enforced.
            case BLOCKED ->
                enforcement.refuse(
                        Mode.ENFORCE,
                        client,
                        Refusal.BLOCKED,
                        " until " + admission.block().until());
            case TOO_MANY_CONNECTIONS, COUNTED_OVER_LIMIT ->
                enforcement.refuse(
                        limit.mode(), client, Refusal.TOO_MANY_CONNECTIONS, " (limit " + limit.value() + ")");
        };
    }

    /** The connection closed, however it closed (QUIT, drop, timeout, TLS failure). */
    public void release(ClientConnection client) {
        if (client.releaseConnectionSlot()) {
            store.disconnect(client.key());
        }
    }
}
