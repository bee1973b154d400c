package io.github.smtpshield.smtp;

import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.SmtpEvent;
import javax.inject.Inject;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.Hook;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookResultHook;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.smtpserver.SendMailHandler;

/** A message accepted for delivery: James's {@code SendMailHandler} queued it. */
public class MessageQueuedHook implements HookResultHook {
    private final Shield shield;

    @Inject
    public MessageQueuedHook(Shield shield) {
        this.shield = shield;
    }

    @Override
    public HookResult onHookResult(SMTPSession session, HookResult result, long executionTime, Hook hook) {
        if (hook instanceof SendMailHandler && result.getResult().getAction() == HookReturnCode.Action.OK) {
            ClientSessions.client(session).ifPresent(client -> shield.note(client, SmtpEvent.MESSAGE_ACCEPTED));
        }
        return result;
    }
}
