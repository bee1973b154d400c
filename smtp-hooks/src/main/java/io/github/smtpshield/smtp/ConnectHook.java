package io.github.smtpshield.smtp;

import io.github.smtpshield.policy.Shield;
import java.util.Optional;
import javax.inject.Inject;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.smtpserver.JamesWelcomeMessageHandler;

/**
 * Connect, on a guarded listener: the shield admits or refuses the client (a refusal such as a blocked client's or one
 * connection too many is answered {@code 421} and closed), starts the session's clock ({@link SessionExpiredHook}),
 * and only then greets it with James's {@code 220}. It takes the place of James's greeting because James 3.8.1 cannot
 * refuse a connection from an extra connect handler while JMX is on. On a PROXY-protocol listener the peer must be a
 * trusted proxy, and the client is admitted once its header is read ({@link ProxyHeaderHook}).
 */
public class ConnectHook extends JamesWelcomeMessageHandler {
    private final Shield shield;

    @Inject
    public ConnectHook(Shield shield) {
        this.shield = shield;
    }

    @Override
    public Response onConnect(SMTPSession session) {
        Optional<Response> refusal;
        if (ClientSessions.isBehindProxy(session)) {
            refusal = ClientSessions.refuseUntrustedProxy(shield, session);
            if (refusal.isEmpty()) {
                ProxyHeaderHook.install(shield, session);
            }
        } else {
            refusal = ClientSessions.admit(shield, session);
        }
        if (refusal.isPresent()) {
            return refusal.get();
        }
        SessionExpiredHook.start(shield, session);
        return super.onConnect(session);
    }
}
