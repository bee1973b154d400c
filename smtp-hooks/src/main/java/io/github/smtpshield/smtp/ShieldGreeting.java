package io.github.smtpshield.smtp;

import io.github.smtpshield.policy.Shield;
import javax.inject.Inject;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.smtpserver.JamesWelcomeMessageHandler;

/**
 * The greeting of a guarded listener. The shield decides at connect whether the client is admitted (blocked
 * clients and connections over the per-IP limit get {@code 421} and are closed) and only then greets it with
 * James's {@code 220}. It replaces James's greeting because James 3.8.1 cannot refuse a connection from an
 * extra connect handler while JMX is on. On a PROXY-protocol listener the client is not known yet at connect:
 * {@link ProxiedClientAdmission} decides at the first command instead.
 */
public class ShieldGreeting extends JamesWelcomeMessageHandler {
    private final Shield shield;

    @Inject
    public ShieldGreeting(Shield shield) {
        this.shield = shield;
    }

    @Override
    public Response onConnect(SMTPSession session) {
        if (ShieldSessions.isBehindProxy(session)) {
            ShieldSessions.awaitProxySource(session);
            return super.onConnect(session);
        }
        return ShieldSessions.admit(shield, session).orElseGet(() -> super.onConnect(session));
    }
}
