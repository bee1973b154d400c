package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Enforcement;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import java.util.Optional;

/**
 * Kerio's "max. number of failed commands in one SMTP session". Counts: commands of one connection answered
 * 4xx or 5xx (the adapter leaves out {@code 452 4.5.3}); nothing resets the count, neither RSET nor a new
 * transaction nor STARTTLS. Answers for the failed command over the limit: {@link Refusal#TOO_MANY_FAILED_COMMANDS},
 * in place of that command's own reply; the adapter then closes.
 */
public final class FailedCommandLimit {
    private final Limit limit;
    private final Enforcement enforcement;

    public FailedCommandLimit(Limit limit, Enforcement enforcement) {
        this.limit = limit;
        this.enforcement = enforcement;
    }

    /** A command of the client was answered 4xx/5xx. */
    public Optional<Refusal> commandFailed(ClientConnection client) {
        if (!limit.enabled()) {
            return Optional.empty();
        }
        int failed = client.recordFailedCommand();
        if (failed <= limit.value()) {
            return Optional.empty();
        }
        if (limit.mode() == Mode.OBSERVE && failed > limit.value() + 1) {
            // Enforce mode would have closed the session at the first one over: that is the one to log.
            return Optional.empty();
        }
        return enforcement.refuse(
                limit.mode(), client, Refusal.TOO_MANY_FAILED_COMMANDS, " (limit " + limit.value() + ")");
    }
}
