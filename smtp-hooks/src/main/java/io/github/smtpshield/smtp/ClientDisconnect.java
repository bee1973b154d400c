package io.github.smtpshield.smtp;

import io.github.smtpshield.policy.Shield;
import javax.inject.Inject;
import org.apache.james.protocols.api.handler.DisconnectHandler;
import org.apache.james.protocols.smtp.SMTPSession;

/** Gives back the client's connection slot however the connection ended: QUIT, drop, timeout or TLS failure. */
public class ClientDisconnect implements DisconnectHandler<SMTPSession> {
    private final Shield shield;

    @Inject
    public ClientDisconnect(Shield shield) {
        this.shield = shield;
    }

    @Override
    public void onDisconnect(SMTPSession session) {
        ShieldSessions.client(session).ifPresent(shield::disconnected);
    }
}
