package io.github.smtpshield.smtp;

import io.github.smtpshield.policy.Shield;
import javax.inject.Inject;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.smtpserver.JamesWelcomeMessageHandler;

/**
 * Connect, on a listener the policy does not guard ({@link SubmissionCoreHandlers}): with {@code proxyRequired}, a peer
 * that is not one of {@code <trustedProxies>} is refused {@code 421 4.7.0} before its header is read (James believes
 * any peer's header, relay rights included). Without PROXY, a client whose key or network is blocked (the bans,
 * {@code <bans>}) gets {@code 421 4.7.1} and is closed, so that password guessing cannot move to submission; every
 * other client is greeted as James greets it.
 */
public class SubmissionConnectHook extends JamesWelcomeMessageHandler {
    private final Shield shield;

    @Inject
    public SubmissionConnectHook(Shield shield) {
        this.shield = shield;
    }

    @Override
    public Response onConnect(SMTPSession session) {
        if (ClientSessions.isBehindProxy(session)) {
            return ClientSessions.refuseUntrustedProxy(shield, session).orElseGet(() -> super.onConnect(session));
        }
        return ClientSessions.admitToSubmission(shield, session).orElseGet(() -> super.onConnect(session));
    }
}
