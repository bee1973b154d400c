package io.github.smtpshield.smtp;

import io.github.smtpshield.policy.Enforcement;
import io.github.smtpshield.policy.RecipientChecks;
import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.SmtpEvent;
import java.util.Optional;
import javax.inject.Inject;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.fastfail.AbstractValidRcptHandler;
import org.apache.james.protocols.smtp.hook.Hook;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookResultHook;
import org.apache.james.protocols.smtp.hook.HookReturnCode;

/**
 * A recipient refused as unknown by James's recipient validation ({@code 550 5.1.1}, from the result of its
 * {@code ValidRcptHandler}); a refusal takes the place of that reply. When none does, James's refusal stands and is
 * written to the security log.
 */
public class UnknownRecipientHook implements HookResultHook {
    private final Shield shield;
    private final Enforcement enforcement;

    @Inject
    public UnknownRecipientHook(Shield shield, Enforcement enforcement) {
        this.shield = shield;
        this.enforcement = enforcement;
    }

    @Override
    public HookResult onHookResult(SMTPSession session, HookResult result, long executionTime, Hook hook) {
        if (!(hook instanceof AbstractValidRcptHandler)
                || result.getResult().getAction() != HookReturnCode.Action.DENY) {
            return result;
        }
        Optional<HookResult> refusal = ClientSessions.refusal(shield, session, SmtpEvent.UNKNOWN_RECIPIENT);
        if (refusal.isPresent()) {
            return refusal.get();
        }
        ClientSessions.client(session)
                .ifPresent(client -> enforcement.refusedByJames(
                        client,
                        SmtpEvent.UNKNOWN_RECIPIENT.command(),
                        RecipientChecks.UNKNOWN_RECIPIENT,
                        " (" + result.getSmtpDescription() + ")"));
        return result;
    }
}
