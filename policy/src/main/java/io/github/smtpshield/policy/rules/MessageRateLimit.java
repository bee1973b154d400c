package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.Reply;
import io.github.smtpshield.policy.SessionState;
import io.github.smtpshield.policy.SmtpEvent;
import io.github.smtpshield.policy.SmtpEvent.Disconnect;
import io.github.smtpshield.policy.SmtpEvent.MailFrom;
import io.github.smtpshield.policy.SmtpEvent.MessageAccepted;
import io.github.smtpshield.policy.SmtpEvent.TransactionEnded;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.config.RuleElement;
import io.github.smtpshield.policy.store.ClientStore;
import io.github.smtpshield.policy.store.MessageSlot;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Kerio's "max. number of messages per hour" per client ({@code <perIp><maxMessagesPerHour>}). Counts: messages,
 * against a budget that refills continuously over the hour; each is taken at MAIL FROM, atomically (parallel sessions
 * never both take the last one), and given back if its transaction ends without an accepted message. Answers at MAIL
 * FROM: {@code 450 4.7.1} once the budget is spent; the session goes on.
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

    /** The message the connection's transaction holds: kept once accepted, else given back. */
    private static final SessionState<AtomicReference<MessageSlot>> SLOT = SessionState.of(AtomicReference::new);

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
            // Whoever took a slot gives it back or keeps it, exempt since or not.
            judgesEveryClient(MessageAccepted.class, this::messageAccepted);
            judgesEveryClient(TransactionEnded.class, this::giveBack);
            judgesEveryClient(Disconnect.class, this::giveBack);
        }
    }

    private Optional<Violation> mailFrom(ClientConnection client, MailFrom event) {
        AtomicReference<MessageSlot> held = client.state(SLOT);
        if (held.get() != null) {
            // The end of the last transaction went unseen (no message came of it): its slot is this one's.
            return Optional.empty();
        }
        Optional<MessageSlot> taken = store.takeMessage(client.key(), limit, mode() == Mode.OBSERVE);
        taken.ifPresent(held::set);
        return taken.isPresent() && !taken.get().overLimit() ? Optional.empty() : Violation.of(TOO_MUCH_MAIL, detail);
    }

    private Optional<Violation> messageAccepted(ClientConnection client, MessageAccepted event) {
        client.state(SLOT).set(null);
        return Optional.empty();
    }

    private Optional<Violation> giveBack(ClientConnection client, SmtpEvent event) {
        MessageSlot slot = client.state(SLOT).getAndSet(null);
        if (slot != null) {
            store.returnMessage(client.key(), limit, slot);
        }
        return Optional.empty();
    }
}
