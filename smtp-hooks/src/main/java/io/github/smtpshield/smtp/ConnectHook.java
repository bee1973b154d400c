package io.github.smtpshield.smtp;

import io.github.smtpshield.policy.Shield;
import javax.inject.Inject;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.smtpserver.JamesWelcomeMessageHandler;

/**
 * Connect, on a guarded listener: the shield admits or refuses the client (a refusal such as a blocked client's or one
 * connection too many is answered {@code 421} and closed), and only then greets it with James's {@code 220}. It takes
 * the place of James's greeting because James 3.8.1 cannot refuse a connection from an extra connect handler while
 * JMX is on. On a PROXY-protocol listener the client is not known yet at connect: {@link ProxiedConnectHook} sends the
 * connect at the first command instead.
 */
public class ConnectHook extends JamesWelcomeMessageHandler {
    private final Shield shield;

    @Inject
    public ConnectHook(Shield shield) {
        this.shield = shield;
    }

    @Override
    public Response onConnect(SMTPSession session) {
        if (ClientSessions.isBehindProxy(session)) {
            ClientSessions.awaitProxySource(session);
            return super.onConnect(session);
        }
        return ClientSessions.admit(shield, session).orElseGet(() -> super.onConnect(session));
    }
}
