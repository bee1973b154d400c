package io.github.smtpshield.smtp;

import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.SmtpEvent.Recipient;
import java.util.List;
import javax.inject.Inject;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.RcptHook;

/** RCPT TO, with the number of recipients the message under way has so far. */
public class RecipientHook implements RcptHook {
    private final Shield shield;

    @Inject
    public RecipientHook(Shield shield) {
        this.shield = shield;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        return ClientSessions.hookResult(shield, session, event(session));
    }

    /** The event of the session's next RCPT: the recipients accepted so far, the new one not counted. */
    static Recipient event(SMTPSession session) {
        int accepted = session.getAttachment(SMTPSession.RCPT_LIST, ProtocolSession.State.Transaction)
                .map(List::size)
                .orElse(0);
        return new Recipient(accepted);
    }
}
