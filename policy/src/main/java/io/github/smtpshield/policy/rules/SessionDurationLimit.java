package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.Reply;
import io.github.smtpshield.policy.SmtpEvent.SessionExpired;
import io.github.smtpshield.policy.config.DurationLimit;
import io.github.smtpshield.policy.config.Durations;
import io.github.smtpshield.policy.config.RuleElement;
import java.time.Duration;
import java.util.Optional;

/**
 * The longest an SMTP session may last, from connect to close ({@code <session><maxDuration>}, 10 minutes when absent):
 * James's {@code connectiontimeout} is an idle timer, which a client that sends one byte now and then never trips.
 * Counts: nothing; the adapter's timer tells it when a session reaches the limit. Answers then, for every client
 * (exempt ones too: a session that never ends holds memory whoever holds it): {@code 421 4.4.2}; the adapter closes,
 * and a message still in DATA is not delivered.
 */
public final class SessionDurationLimit extends Rule {
    /** Postfix's {@code smtpd_timeout} is per read; 10 minutes is long enough for any real client's slowest message. */
    public static final Duration DEFAULT = Duration.ofMinutes(10);

    public static final RuleElement<DurationLimit> ELEMENT = new RuleElement<>(
            "session",
            "maxDuration",
            "max duration of one SMTP session",
            DurationLimit.reader(),
            DurationLimit.of(DEFAULT));
    public static final RuleType<DurationLimit> TYPE = new RuleType<>(ELEMENT, SessionDurationLimit::new);

    /** The session is older than it may be: it is closed. */
    public static final Refusal SESSION_TOO_LONG = new Refusal(
            ELEMENT.name(),
            "session time limit exceeded",
            Reply.closing("421", "4.4.2", "Session time limit exceeded, closing connection"));

    private final DurationLimit settings;

    private SessionDurationLimit(DurationLimit settings, RuleContext context) {
        super(ELEMENT, settings, SESSION_TOO_LONG);
        this.settings = settings;
        if (settings.enabled()) {
            judgesEveryClient(SessionExpired.class, this::expired);
        }
    }

    /** How long a session may last; empty when the limit is off (no timer is needed then). */
    public Optional<Duration> maxDuration() {
        return settings.enabled() ? Optional.of(settings.value()) : Optional.empty();
    }

    private Optional<Violation> expired(ClientConnection client, SessionExpired event) {
        return Violation.of(SESSION_TOO_LONG, " (limit " + Durations.format(settings.value()) + ")");
    }
}
