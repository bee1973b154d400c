package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.Reply;
import io.github.smtpshield.policy.SessionState;
import io.github.smtpshield.policy.SmtpEvent.Connect;
import io.github.smtpshield.policy.SmtpEvent.Disconnect;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.config.RuleElement;
import io.github.smtpshield.policy.store.Admission;
import io.github.smtpshield.policy.store.ClientStore;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Kerio's "max. number of concurrent SMTP connections" per client ({@code <perIp><maxConcurrentConnections>}), and the
 * door a blocked client finds shut. Counts: open connections per client key, every admitted one even with the limit
 * off (so that turning it on finds true counts). Answers at connect: {@code 421 4.7.0} for the connection over the
 * limit, and a blocked key's refusal ({@link UnknownRecipientLimit#BLOCKED}) while it is blocked — one atomic store
 * decision tells both; the adapter then closes.
 */
public final class ConnectionLimit extends Rule {
    public static final RuleElement<Limit> ELEMENT = new RuleElement<>(
            "perIp", "maxConcurrentConnections", "max concurrent connections per IP", Limit.count(), Limit.off());
    public static final RuleType<Limit> TYPE = new RuleType<>(ELEMENT, ConnectionLimit::new);

    /** The client has as many connections open as it may. */
    public static final Refusal TOO_MANY_CONNECTIONS = new Refusal(
            ELEMENT.name(),
            "too many concurrent connections",
            Reply.closing("421", "4.7.0", "Too many connections from %s"));

    /** Whether the connection holds a slot of its key: it must give it back exactly once. */
    private static final SessionState<AtomicBoolean> SLOT = SessionState.of(AtomicBoolean::new);

    private final Limit settings;
    private final int limit;
    private final ClientStore store;

    private ConnectionLimit(Limit settings, RuleContext context) {
        super(ELEMENT, settings, TOO_MANY_CONNECTIONS);
        this.settings = settings;
        this.limit = storeLimit(settings.value());
        this.store = context.store();
        judges(Connect.class, this::connect);
        // A client that authenticated since is exempt, but still holds its slot.
        judgesEveryClient(Disconnect.class, this::disconnect);
    }

    private Optional<Violation> connect(ClientConnection client, Connect event) {
        // Observe mode: the connection over the limit goes on, so it counts like any other, in the same decision.
        Admission admission = store.tryConnect(client.key(), limit, settings.mode() == Mode.OBSERVE);
        if (admission.admitted()) {
            client.state(SLOT).set(true);
        }
        return switch (admission.outcome()) {
            case ADMITTED -> Optional.empty();
            case BLOCKED ->
                Violation.enforced(
                        UnknownRecipientLimit.BLOCKED,
                        " (" + admission.block().reason() + ") until "
                                + admission.block().until());
            case TOO_MANY_CONNECTIONS, COUNTED_OVER_LIMIT ->
                Violation.of(TOO_MANY_CONNECTIONS, " (limit " + settings.value() + ")");
        };
    }

    private Optional<Violation> disconnect(ClientConnection client, Disconnect event) {
        if (client.state(SLOT).getAndSet(false)) {
            store.disconnect(client.key());
        }
        return Optional.empty();
    }
}
