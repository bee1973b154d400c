package io.github.smtpshield.smtp;

import io.github.smtpshield.policy.Shield;
import java.util.List;
import javax.inject.Inject;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.RcptHook;

/** RCPT TO: {@code 452 4.5.3} for each recipient over the limit; the message goes to the ones accepted. */
public class RecipientLimitHook implements RcptHook {
    private final Shield shield;

    @Inject
    public RecipientLimitHook(Shield shield) {
        this.shield = shield;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        int accepted = session.getAttachment(SMTPSession.RCPT_LIST, ProtocolSession.State.Transaction)
                .map(List::size)
                .orElse(0);
        return ShieldSessions.client(session)
                .flatMap(client ->
                        shield.recipient(client, accepted).map(refusal -> Replies.hookResult(refusal, client)))
                .orElse(HookResult.DECLINED);
    }
}
