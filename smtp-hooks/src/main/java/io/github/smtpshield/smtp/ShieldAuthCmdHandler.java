package io.github.smtpshield.smtp;

import javax.inject.Inject;

import org.apache.james.core.Username;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.esmtp.AuthCmdHandler;

import io.github.smtpshield.policy.Shield;

/**
 * James's AUTH, counting failed authentications that no result handler sees. When the credentials come on a
 * continuation line ({@code AUTH LOGIN}, or {@code AUTH PLAIN} without initial response) the reply is written by a
 * line handler of James's that {@link FailedCommands} never sees; this handler counts the outcome of the credential
 * check there. Within the AUTH command itself the reply goes through the result handlers and is counted there.
 * Not counted: a continuation line that cannot be decoded ({@code 501}) or that aborts the exchange ({@code *}).
 */
public class ShieldAuthCmdHandler extends AuthCmdHandler {
    private static final ProtocolSession.AttachmentKey<Boolean> WITHIN_COMMAND =
        ProtocolSession.AttachmentKey.of("smtpshield.withinAuthCommand", Boolean.class);

    private final Shield shield;

    @Inject
    public ShieldAuthCmdHandler(Shield shield) {
        this.shield = shield;
    }

    @Override
    public Response onCommand(SMTPSession session, Request request) {
        session.setAttachment(WITHIN_COMMAND, Boolean.TRUE, ProtocolSession.State.Connection);
        try {
            return super.onCommand(session, request);
        } finally {
            session.removeAttachment(WITHIN_COMMAND, ProtocolSession.State.Connection);
        }
    }

    @Override
    protected Response doAuthTest(SMTPSession session, Username username, String pass, String authType) {
        return countedOnContinuationLine(session, super.doAuthTest(session, username, pass, authType));
    }

    @Override
    protected Response doDelegation(SMTPSession session, Username username) {
        return countedOnContinuationLine(session, super.doDelegation(session, username));
    }

    private Response countedOnContinuationLine(SMTPSession session, Response response) {
        if (session.getAttachment(WITHIN_COMMAND, ProtocolSession.State.Connection).isPresent()) {
            return response;
        }
        return FailedCommands.counted(shield, session, response);
    }
}
