package io.github.smtpshield.smtp;

import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.SmtpEvent;
import java.util.List;
import javax.inject.Inject;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.apache.james.protocols.api.handler.ProtocolHandlerResultHandler;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.dsn.DSNStatus;
import org.apache.james.protocols.smtp.hook.Hook;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookResultHook;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MessageHook;
import org.apache.james.smtpserver.JamesMessageHook;

/**
 * Counts the failed commands of a session for rule 5: every reply 4xx or 5xx except {@code 452 4.5.3}. The
 * failed command over the limit is answered {@code 421 4.7.0} instead of its own reply, and the connection closes.
 * James hands the replies over in three ways, and each is counted once:
 * <ul>
 *   <li>a command line's reply reaches every result handler twice, first with the command's handler, then with the
 *       line handler that dispatched it: counted the second time;</li>
 *   <li>the reply at the end of DATA is written by DATA's own line handler, which no result handler sees; it is the
 *       result of a message hook, which hook result hooks see: counted there;</li>
 *   <li>the reply to an AUTH exchange's continuation line: counted by {@link AuthHook}.</li>
 * </ul>
 */
public class FailedCommandHook implements ProtocolHandlerResultHandler<Response, ProtocolSession>, HookResultHook {
    private static final String TOO_MANY_RECIPIENTS =
            DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.DELIVERY_TOO_MANY_REC);

    private final Shield shield;

    @Inject
    public FailedCommandHook(Shield shield) {
        this.shield = shield;
    }

    @Override
    public Response onResponse(
            ProtocolSession session, Response response, long executionTime, ProtocolHandler handler) {
        if (!(handler instanceof LineHandler) || !(session instanceof SMTPSession smtpSession)) {
            return response;
        }
        return counted(shield, smtpSession, response);
    }

    @Override
    public HookResult onHookResult(SMTPSession session, HookResult result, long executionTime, Hook hook) {
        boolean endOfData = hook instanceof MessageHook || hook instanceof JamesMessageHook;
        HookReturnCode code = result.getResult();
        if (!endOfData
                || code.isDisconnected()
                || (code.getAction() != HookReturnCode.Action.DENY
                        && code.getAction() != HookReturnCode.Action.DENYSOFT)) {
            return result;
        }
        return ClientSessions.refusal(shield, session, SmtpEvent.COMMAND_FAILED).orElse(result);
    }

    /** Counts the reply if it is a failure; returns it, or the {@code 421} that replaces it. */
    static Response counted(Shield shield, SMTPSession session, Response response) {
        if (!isFailure(response)) {
            return response;
        }
        return ClientSessions.response(shield, session, SmtpEvent.COMMAND_FAILED)
                // A reply that closes the connection anyway (another rule's 421) keeps its own words.
                .filter(refusal -> !response.isEndSession())
                .orElse(response);
    }

    private static boolean isFailure(Response response) {
        if (response == null
                || response.getRetCode() == null
                || response.getRetCode().isEmpty()) {
            return false;
        }
        char kind = response.getRetCode().charAt(0);
        return (kind == '4' || kind == '5') && !isTooManyRecipients(response);
    }

    /** {@code 452 4.5.3}: the client sends the other recipients later; not a failure (the README, rule 5). */
    private static boolean isTooManyRecipients(Response response) {
        List<CharSequence> lines = response.getLines();
        return SMTPRetCode.SYSTEM_STORAGE_ERROR.equals(response.getRetCode())
                && !lines.isEmpty()
                && lines.get(0)
                        .toString()
                        .startsWith(TOO_MANY_RECIPIENTS, SMTPRetCode.SYSTEM_STORAGE_ERROR.length() + 1);
    }
}
