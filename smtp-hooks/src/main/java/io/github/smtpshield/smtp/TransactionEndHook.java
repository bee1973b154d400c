package io.github.smtpshield.smtp;

import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.SmtpEvent;
import javax.inject.Inject;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.apache.james.protocols.api.handler.ProtocolHandlerResultHandler;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.Hook;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookResultHook;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MessageHook;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.james.smtpserver.SendMailHandler;

/**
 * The end of a mail transaction without an accepted message, so that the message it took of the hourly budget at MAIL
 * FROM goes back. James keeps the sender of the transaction under way ({@link SMTPSession#SENDER}) until RSET,
 * HELO/EHLO, STARTTLS or the end of DATA: after any command that leaves none (a refused MAIL FROM included), the
 * transaction has ended. At the end of DATA, a message hook's answer other than the queueing of the message ends it
 * too ({@link MessageQueuedHook} tells the accepted ones). A disconnect ends it as well ({@link DisconnectHook}).
 */
public class TransactionEndHook implements ProtocolHandlerResultHandler<Response, ProtocolSession>, HookResultHook {
    private final Shield shield;

    @Inject
    public TransactionEndHook(Shield shield) {
        this.shield = shield;
    }

    @Override
    public Response onResponse(
            ProtocolSession session, Response response, long executionTime, ProtocolHandler handler) {
        // A command's reply comes once with its command handler, once with the line handler: the first is enough.
        if (handler instanceof CommandHandler
                && session instanceof SMTPSession smtpSession
                && smtpSession
                        .getAttachment(SMTPSession.SENDER, ProtocolSession.State.Transaction)
                        .isEmpty()) {
            ended(smtpSession);
        }
        return response;
    }

    @Override
    public HookResult onHookResult(SMTPSession session, HookResult result, long executionTime, Hook hook) {
        boolean endOfData = hook instanceof MessageHook || hook instanceof JamesMessageHook;
        HookReturnCode.Action action = result.getResult().getAction();
        boolean queued = hook instanceof SendMailHandler && action == HookReturnCode.Action.OK;
        if (endOfData && action != HookReturnCode.Action.DECLINED && !queued) {
            ended(session);
        }
        return result;
    }

    private void ended(SMTPSession session) {
        ClientSessions.client(session).ifPresent(client -> shield.note(client, SmtpEvent.TRANSACTION_ENDED));
    }
}
