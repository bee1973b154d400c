package io.github.smtpshield.smtp;

import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.SmtpEvent;
import javax.inject.Inject;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.fastfail.AbstractValidRcptHandler;
import org.apache.james.protocols.smtp.hook.Hook;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookResultHook;
import org.apache.james.protocols.smtp.hook.HookReturnCode;

/**
 * A recipient refused as unknown by James's recipient validation ({@code 550 5.1.1}, from the result of its
 * {@code ValidRcptHandler}); a refusal takes the place of that reply.
 */
public class UnknownRecipientHook implements HookResultHook {
    private final Shield shield;

    @Inject
    public UnknownRecipientHook(Shield shield) {
        this.shield = shield;
    }

    @Override
    public HookResult onHookResult(SMTPSession session, HookResult result, long executionTime, Hook hook) {
        if (!(hook instanceof AbstractValidRcptHandler)
                || result.getResult().getAction() != HookReturnCode.Action.DENY) {
            return result;
        }
        return ClientSessions.refusal(shield, session, SmtpEvent.UNKNOWN_RECIPIENT)
                .orElse(result);
    }
}
