package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.Reply;
import io.github.smtpshield.policy.SmtpEvent.MailFrom;
import io.github.smtpshield.policy.SmtpEvent.MessageAccepted;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.RuleElement;
import io.github.smtpshield.policy.store.ClientStore;
import java.util.Optional;

/**
 * Kerio's "max. number of messages per hour" per client ({@code <perIp><maxMessagesPerHour>}). Counts: accepted
 * messages, against a budget that refills continuously over the hour. Answers at MAIL FROM: {@code 450 4.7.1} once
 * the budget is spent; the session goes on.
 */
public final class MessageRateLimit extends Rule {
    public static final RuleElement<Limit> ELEMENT = new RuleElement<>(
            "perIp", "maxMessagesPerHour", "max messages per hour per IP", Limit.count(), Limit.off());
    public static final RuleType<Limit> TYPE = new RuleType<>(ELEMENT, MessageRateLimit::new);

    /** The client's hourly message budget is spent. */
    public static final Refusal TOO_MUCH_MAIL = new Refusal(
            ELEMENT.name(),
            "too many messages per hour",
            Reply.of("450", "4.7.1", "Too much mail from %s, try again later"));

    private final int limit;
    private final String detail;
    private final ClientStore store;

    private MessageRateLimit(Limit settings, RuleContext context) {
        super(ELEMENT, settings, TOO_MUCH_MAIL);
        this.limit = storeLimit(settings.value());
        this.detail = " (limit " + settings.value() + " per hour)";
        this.store = context.store();
        if (settings.enabled()) {
            judges(MailFrom.class, this::mailFrom);
            judges(MessageAccepted.class, this::messageAccepted);
        }
    }

    private Optional<Violation> mailFrom(ClientConnection client, MailFrom event) {
        return store.messageBudgetAvailable(client.key(), limit)
                ? Optional.empty()
                : Violation.of(TOO_MUCH_MAIL, detail);
    }

    private Optional<Violation> messageAccepted(ClientConnection client, MessageAccepted event) {
        store.recordMessage(client.key(), limit);
        return Optional.empty();
    }
}
