package io.github.smtpshield.smtp;

import io.github.smtpshield.policy.Shield;
import javax.inject.Inject;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.MailHook;

/** MAIL FROM: {@code 450 4.7.1} once the client's hourly message budget is spent; the session goes on. */
public class MessageRateHook implements MailHook {
    private final Shield shield;

    @Inject
    public MessageRateHook(Shield shield) {
        this.shield = shield;
    }

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        return ShieldSessions.client(session)
                .flatMap(client -> shield.mailFrom(client).map(refusal -> Replies.hookResult(refusal, client)))
                .orElse(HookResult.DECLINED);
    }
}
