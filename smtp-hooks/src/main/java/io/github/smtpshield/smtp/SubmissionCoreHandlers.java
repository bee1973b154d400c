package io.github.smtpshield.smtp;

import java.util.List;
import java.util.Map;
import org.apache.james.protocols.lib.handler.HandlersPackage;
import org.apache.james.protocols.smtp.core.esmtp.AuthCmdHandler;
import org.apache.james.smtpserver.JamesWelcomeMessageHandler;

/**
 * The handler package of a listener for your own users, which the policy does not guard (465, 587):
 * <pre>&lt;handlerchain coreHandlersPackage="io.github.smtpshield.smtp.SubmissionCoreHandlers"&gt;</pre>
 * No per-IP limit, session rule or DNS check runs here (the shield guards the MX; see the README). What it adds to James's
 * own {@code CoreCmdHandlerLoader} list are the mends of James 3.8.1 defects a client meets on any listener:
 * {@link AuthRequiresTls} ({@code requireSSL} that refuses AUTH in clear), {@link HeloArgument} (no header injection
 * through HELO/EHLO), the shield's AUTH in place of James's (undecodable credentials answered {@code 501}, not
 * {@code 451} and a stack trace, nor an endless exchange), and the greeting that refuses a PROXY-protocol peer that is
 * not a trusted proxy ({@link SubmissionConnectHook}).
 * {@link RecipientPathLength} cannot be part of a package: James runs the chain's {@code <handler>} lines before the
 * package's handlers, and it must come before {@code ValidRcptHandler}; list it on that line's left, as on port 25.
 */
public class SubmissionCoreHandlers implements HandlersPackage {
    private static final List<String> HANDLERS = JamesCoreHandlers.with(
            List.of(HeloArgument.class.getName(), AuthRequiresTls.class.getName()),
            Map.of(
                    AuthCmdHandler.class.getName(), AuthHook.class.getName(),
                    JamesWelcomeMessageHandler.class.getName(), SubmissionConnectHook.class.getName()));

    @Override
    public List<String> getHandlers() {
        return HANDLERS;
    }
}
