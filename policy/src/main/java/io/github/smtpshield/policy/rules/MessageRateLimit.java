package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Enforcement;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.store.ClientStore;
import java.util.Optional;

/**
 * Kerio's "max. number of messages per hour" per client. Counts: accepted messages, against a budget that
 * refills continuously over the hour. Answers at MAIL FROM: {@link Refusal#TOO_MUCH_MAIL} once the budget is
 * spent; the session goes on.
 */
public final class MessageRateLimit {
    private final Limit limit;
    private final ClientStore store;
    private final Enforcement enforcement;

    public MessageRateLimit(Limit limit, ClientStore store, Enforcement enforcement) {
        this.limit = limit;
        this.store = store;
        this.enforcement = enforcement;
    }

    public Optional<Refusal> mailFrom(ClientConnection client) {
        if (!limit.enabled() || store.messageBudgetAvailable(client.key(), Limits.asInt(limit.value()))) {
            return Optional.empty();
        }
        return enforcement.refuse(
                limit.mode(), client, Refusal.TOO_MUCH_MAIL, " (limit " + limit.value() + " per hour)");
    }

    /** A message from the client was accepted for delivery. */
    public void messageAccepted(ClientConnection client) {
        if (limit.enabled()) {
            store.recordMessage(client.key(), Limits.asInt(limit.value()));
        }
    }
}
