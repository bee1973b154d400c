package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.Reply;
import io.github.smtpshield.policy.SmtpEvent.DeclaredSize;
import io.github.smtpshield.policy.SmtpEvent.MessageData;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.config.RuleElement;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Kerio's "max. incoming message size" ({@code <session><maxMessageSize>}), the one place the size limit is set, for
 * every client. Counts: the bytes of one message, as the client declares them at MAIL FROM ({@code SIZE=}, RFC 1870)
 * and as they arrive in DATA (the adapter counts, and asks once the count is over: {@link #exceeds}). Answers
 * {@code 552 5.3.4} at MAIL FROM for a declared size over the limit, and at the end of DATA for a stream that went
 * over it (the adapter discards the rest and delivers nothing); the session goes on. EHLO advertises the limit.
 */
public final class MessageSizeLimit extends Rule {
    public static final RuleElement<Limit> ELEMENT =
            new RuleElement<>("session", "maxMessageSize", "max message size", Limit.size(), Limit.off());
    public static final RuleType<Limit> TYPE = new RuleType<>(ELEMENT, MessageSizeLimit::new);

    /** The message is larger than the limit (as declared at MAIL FROM, or as received in DATA). */
    public static final Refusal MESSAGE_TOO_BIG = new Refusal(
            ELEMENT.name(),
            "message size exceeds the limit",
            Reply.of("552", "5.3.4", "Message size exceeds fixed limit"));

    private final Limit settings;

    private MessageSizeLimit(Limit settings, RuleContext context) {
        super(ELEMENT, settings, MESSAGE_TOO_BIG);
        this.settings = settings;
        if (settings.enabled()) {
            judgesEveryClient(DeclaredSize.class, this::declared);
            judgesEveryClient(MessageData.class, this::received);
        }
    }

    /** The size EHLO advertises (RFC 1870); none when the limit is off or only observed (clients would obey it). */
    public OptionalLong advertised() {
        return settings.enabled() && settings.mode() == Mode.ENFORCE
                ? OptionalLong.of(settings.value())
                : OptionalLong.empty();
    }

    /** Whether a message of {@code size} bytes is over the limit: a limit of N allows N bytes. */
    public boolean exceeds(long size) {
        return settings.exceededBy(size);
    }

    private Optional<Violation> declared(ClientConnection client, DeclaredSize event) {
        return exceeds(event.bytes())
                ? Violation.of(
                        MESSAGE_TOO_BIG, " (declared " + event.bytes() + " bytes, limit " + settings.value() + ")")
                : Optional.empty();
    }

    private Optional<Violation> received(ClientConnection client, MessageData event) {
        return exceeds(event.bytes())
                ? Violation.of(MESSAGE_TOO_BIG, " (over " + settings.value() + " bytes)")
                : Optional.empty();
    }
}
