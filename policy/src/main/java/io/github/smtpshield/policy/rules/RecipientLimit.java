package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Enforcement;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.config.Limit;
import java.util.Optional;

/**
 * Kerio's "max. number of recipients in one message". Counts: the recipients already accepted for the message
 * under way (the adapter knows them). Answers at RCPT TO for each recipient over the limit:
 * {@link Refusal#TOO_MANY_RECIPIENTS}; the message goes on to the accepted ones, the client sends the rest later.
 */
public final class RecipientLimit {
    private final Limit limit;
    private final Enforcement enforcement;

    public RecipientLimit(Limit limit, Enforcement enforcement) {
        this.limit = limit;
        this.enforcement = enforcement;
    }

    /** RCPT TO: may a message that has {@code accepted} recipients so far have one more? */
    public Optional<Refusal> recipient(ClientConnection client, int accepted) {
        if (!limit.enabled() || accepted < limit.value()) {
            return Optional.empty();
        }
        return enforcement.refuse(limit.mode(), client, Refusal.TOO_MANY_RECIPIENTS, " (limit " + limit.value() + ")");
    }
}
