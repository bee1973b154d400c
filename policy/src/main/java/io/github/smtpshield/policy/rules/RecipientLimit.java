package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.Reply;
import io.github.smtpshield.policy.SmtpEvent.Recipient;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.RuleElement;
import java.util.Optional;

/**
 * Kerio's "max. number of recipients in one message" ({@code <session><maxRecipientsPerMessage>}), for every client.
 * Counts: the recipients already accepted for the message under way (the adapter knows them). Answers at RCPT TO for
 * each recipient over the limit: {@code 452 4.5.3}; the message goes on to the accepted ones, the client sends the
 * rest later. The mailets hold mail that never met SMTP to the same cap ({@link #exceeds}).
 */
public final class RecipientLimit extends Rule {
    public static final RuleElement<Limit> ELEMENT = new RuleElement<>(
            "session", "maxRecipientsPerMessage", "max recipients per message", Limit.count(), Limit.off());
    public static final RuleType<Limit> TYPE = new RuleType<>(ELEMENT, RecipientLimit::new);

    /** The message already has as many recipients as it may: this one is to be sent again in another message. */
    public static final Refusal TOO_MANY_RECIPIENTS = new Refusal(
            ELEMENT.name(),
            "too many recipients",
            Reply.of("452", "4.5.3", "Too many recipients, send the rest in another message"));

    private final Limit settings;

    private RecipientLimit(Limit settings, RuleContext context) {
        super(ELEMENT, settings, TOO_MANY_RECIPIENTS);
        this.settings = settings;
        if (settings.enabled()) {
            judgesEveryClient(Recipient.class, this::recipient);
        }
    }

    /** Whether a message with {@code recipients} recipients is over the cap: a cap of N allows N. */
    public boolean exceeds(long recipients) {
        return settings.exceededBy(recipients);
    }

    private Optional<Violation> recipient(ClientConnection client, Recipient event) {
        return exceeds(event.accepted() + 1L)
                ? Violation.of(TOO_MANY_RECIPIENTS, " (limit " + settings.value() + ")")
                : Optional.empty();
    }
}
