package io.github.smtpshield.smtp;

import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.SmtpEvent;
import javax.inject.Inject;
import org.apache.james.protocols.api.handler.DisconnectHandler;
import org.apache.james.protocols.smtp.SMTPSession;

/** Disconnect, however the connection ended: QUIT, drop, timeout or TLS failure. The session's clock stops. */
public class DisconnectHook implements DisconnectHandler<SMTPSession> {
    private final Shield shield;

    @Inject
    public DisconnectHook(Shield shield) {
        this.shield = shield;
    }

    @Override
    public void onDisconnect(SMTPSession session) {
        SessionExpiredHook.cancel(session);
        LookupHold.disconnected(session);
        ClientSessions.client(session).ifPresent(client -> shield.note(client, SmtpEvent.DISCONNECT));
    }
}
