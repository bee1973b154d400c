package io.github.smtpshield.smtp;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Shield;
import java.util.Optional;
import javax.inject.Inject;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.fastfail.AbstractValidRcptHandler;
import org.apache.james.protocols.smtp.hook.Hook;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookResultHook;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.smtpserver.SendMailHandler;

/**
 * Watches the results of James's own hooks for the two outcomes the per-IP rules count:
 * <ul>
 *   <li>a recipient refused as unknown by James's recipient validation ({@code 550 5.1.1}): counted for the
 *       directory-harvest guard; the one over the limit is answered {@code 421 4.7.1} instead, and the
 *       connection closes;</li>
 *   <li>a message queued for delivery by James: counted against the client's hourly budget.</li>
 * </ul>
 */
public class HookOutcomes implements HookResultHook {
    private final Shield shield;

    @Inject
    public HookOutcomes(Shield shield) {
        this.shield = shield;
    }

    @Override
    public HookResult onHookResult(SMTPSession session, HookResult result, long executionTime, Hook hook) {
        HookReturnCode.Action action = result.getResult().getAction();
        if (hook instanceof AbstractValidRcptHandler && action == HookReturnCode.Action.DENY) {
            return ShieldSessions.client(session).flatMap(this::harvest).orElse(result);
        }
        if (hook instanceof SendMailHandler && action == HookReturnCode.Action.OK) {
            ShieldSessions.client(session).ifPresent(shield::messageAccepted);
        }
        return result;
    }

    private Optional<HookResult> harvest(ClientConnection client) {
        return shield.unknownRecipient(client).map(refusal -> Replies.hookResult(refusal, client));
    }
}
