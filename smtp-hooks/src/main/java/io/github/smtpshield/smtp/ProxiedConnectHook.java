package io.github.smtpshield.smtp;

import io.github.smtpshield.policy.Shield;
import javax.inject.Inject;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.ConnectHandler;
import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.apache.james.protocols.api.handler.ProtocolHandlerResultHandler;
import org.apache.james.protocols.smtp.SMTPSession;

/**
 * Connect, on a listener with {@code proxyRequired}: James reads the PROXY header only after the greeting and fires
 * no hook then, so the shield admits the client (the source the proxy reports, not the proxy) at its first command,
 * and answers that command with the connect refusal when there is one.
 */
public class ProxiedConnectHook implements ProtocolHandlerResultHandler<Response, ProtocolSession> {
    private final Shield shield;

    @Inject
    public ProxiedConnectHook(Shield shield) {
        this.shield = shield;
    }

    @Override
    public Response onResponse(
            ProtocolSession session, Response response, long executionTime, ProtocolHandler handler) {
        // The greeting's own response passes here too, before the PROXY header is read: not yet.
        if (handler instanceof ConnectHandler
                || !(session instanceof SMTPSession smtpSession)
                || !ClientSessions.takeAwaitingProxySource(smtpSession)) {
            return response;
        }
        return ClientSessions.admit(shield, smtpSession).orElse(response);
    }
}
