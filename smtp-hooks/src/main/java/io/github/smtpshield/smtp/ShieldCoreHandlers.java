package io.github.smtpshield.smtp;

import java.util.List;
import java.util.Map;
import org.apache.james.protocols.lib.handler.HandlersPackage;
import org.apache.james.protocols.smtp.core.esmtp.AuthCmdHandler;
import org.apache.james.protocols.smtp.core.esmtp.MailSizeEsmtpExtension;
import org.apache.james.smtpserver.AuthRequiredToRelayRcptHook;
import org.apache.james.smtpserver.CoreCmdHandlerLoader;
import org.apache.james.smtpserver.JamesWelcomeMessageHandler;

/**
 * The handler package of a listener the shield guards:
 * <pre>&lt;handlerchain coreHandlersPackage="io.github.smtpshield.smtp.ShieldCoreHandlers"&gt;</pre>
 * It is James's own {@link CoreCmdHandlerLoader} list, preceded by the shield's hooks, with four of James's
 * handlers replaced by the shield's: the greeting (which admits or refuses the client before greeting it, and refuses
 * a PROXY-protocol peer that is not a trusted proxy: James 3.8.1 cannot refuse a connection from an ordinary connect
 * handler while JMX is on), the SIZE extension (the
 * policy's {@code <maxMessageSize>} is the one size limit), AUTH (whose failures on continuation lines no
 * result handler sees) and the relay check (which answers {@code 550 5.7.1 Relaying denied}, not James's
 * {@code 530} after STARTTLS).
 *
 * @see SubmissionCoreHandlers the package for listeners the policy does not guard (465, 587)
 */
public class ShieldCoreHandlers implements HandlersPackage {
    private static final List<String> SHIELD_HANDLERS = List.of(
            // Before James's MAIL and RCPT handlers: it holds the command, not the thread, until its lookups are in
            LookupHold.class.getName(),
            DisconnectHook.class.getName(),
            HeloArgument.class.getName(),
            AuthRequiresTls.class.getName(),
            MailFromHook.class.getName(),
            RecipientHook.class.getName(),
            UnknownRecipientHook.class.getName(),
            SessionExpiredHook.class.getName(),
            MessageQueuedHook.class.getName(),
            TransactionEndHook.class.getName(),
            FailedCommandHook.class.getName());

    /** James's core handlers the shield replaces with its own: same place in the chain, the shield's policy. */
    private static final Map<String, String> REPLACED = Map.of(
            JamesWelcomeMessageHandler.class.getName(), ConnectHook.class.getName(),
            MailSizeEsmtpExtension.class.getName(), MessageSizeHook.class.getName(),
            AuthCmdHandler.class.getName(), AuthHook.class.getName(),
            AuthRequiredToRelayRcptHook.class.getName(), RemoteRecipientHook.class.getName());

    private static final List<String> HANDLERS = JamesCoreHandlers.with(SHIELD_HANDLERS, REPLACED);

    @Override
    public List<String> getHandlers() {
        return HANDLERS;
    }
}
