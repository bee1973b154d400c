package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.Reply;
import io.github.smtpshield.policy.SessionState;
import io.github.smtpshield.policy.SmtpEvent.CommandFailed;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.config.RuleElement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kerio's "max. number of failed commands in one SMTP session" ({@code <session><maxFailedCommands>}). Counts: commands
 * of one connection answered 4xx or 5xx (the adapter leaves out {@code 452 4.5.3}); nothing resets the count, neither
 * RSET nor a new transaction nor STARTTLS. Answers for the failed command over the limit: {@code 421 4.7.0}, in place
 * of that command's own reply; the adapter then closes.
 */
public final class FailedCommandLimit extends Rule {
    public static final RuleElement<Limit> ELEMENT = new RuleElement<>(
            "session", "maxFailedCommands", "max failed commands per session", Limit.count(), Limit.off());
    public static final RuleType<Limit> TYPE = new RuleType<>(ELEMENT, FailedCommandLimit::new);

    /** This failed command is one more than the session may have: the session is closed. */
    public static final Refusal TOO_MANY_FAILED_COMMANDS = new Refusal(
            ELEMENT.name(),
            "too many failed commands",
            Reply.closing("421", "4.7.0", "Too many errors from %s, closing connection"));

    private static final SessionState<AtomicInteger> FAILED = SessionState.of(AtomicInteger::new);

    private final Limit settings;

    private FailedCommandLimit(Limit settings, RuleContext context) {
        super(ELEMENT, settings, TOO_MANY_FAILED_COMMANDS);
        this.settings = settings;
        if (settings.enabled()) {
            judges(CommandFailed.class, this::commandFailed);
        }
    }

    private Optional<Violation> commandFailed(ClientConnection client, CommandFailed event) {
        int failed = client.state(FAILED).incrementAndGet();
        if (failed <= settings.value()) {
            return Optional.empty();
        }
        if (settings.mode() == Mode.OBSERVE && failed > settings.value() + 1) {
            // Enforce mode would have closed the session at the first one over: that is the one to log.
            return Optional.empty();
        }
        return Violation.of(TOO_MANY_FAILED_COMMANDS, " (limit " + settings.value() + ")");
    }
}
