package io.github.smtpshield.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.james.protocols.smtp.core.esmtp.AuthCmdHandler;
import org.apache.james.protocols.smtp.core.esmtp.MailSizeEsmtpExtension;
import org.apache.james.smtpserver.AuthRequiredToRelayRcptHook;
import org.apache.james.smtpserver.CoreCmdHandlerLoader;
import org.apache.james.smtpserver.JamesWelcomeMessageHandler;
import org.junit.jupiter.api.Test;

class CoreHandlersPackagesTest {
    private static final List<String> JAMES = new CoreCmdHandlerLoader().getHandlers();

    @Test
    void theGuardedListenerRunsThePolicyHooksBeforeJamesWithGreetingSizeAuthAndRelayReplaced() {
        List<String> handlers = new ShieldCoreHandlers().getHandlers();

        assertThat(handlers.subList(0, 4))
                .containsExactly(
                        LookupHold.class.getName(),
                        DisconnectHook.class.getName(),
                        HeloArgument.class.getName(),
                        AuthRequiresTls.class.getName());
        assertThat(handlers)
                .contains(
                        FailedCommandHook.class.getName(),
                        ConnectHook.class.getName(),
                        MessageSizeHook.class.getName(),
                        SessionExpiredHook.class.getName(),
                        TransactionEndHook.class.getName(),
                        AuthHook.class.getName(),
                        RemoteRecipientHook.class.getName())
                .doesNotContain(
                        JamesWelcomeMessageHandler.class.getName(),
                        MailSizeEsmtpExtension.class.getName(),
                        AuthCmdHandler.class.getName(),
                        AuthRequiredToRelayRcptHook.class.getName())
                .doesNotHaveDuplicates()
                .hasSize(JAMES.size() + 11);
        assertThat(handlers.subList(11, handlers.size())).hasSameSizeAs(JAMES);
    }

    @Test
    void theSubmissionListenerRunsJamesWithTheMendsAndNoPolicy() {
        List<String> handlers = new SubmissionCoreHandlers().getHandlers();

        assertThat(handlers.subList(0, 2))
                .containsExactly(HeloArgument.class.getName(), AuthRequiresTls.class.getName());
        assertThat(handlers.subList(2, handlers.size()))
                .containsExactlyElementsOf(JAMES.stream()
                        .map(handler -> handler.equals(AuthCmdHandler.class.getName())
                                ? AuthHook.class.getName()
                                : handler.equals(JamesWelcomeMessageHandler.class.getName())
                                        ? SubmissionConnectHook.class.getName()
                                        : handler)
                        .toList());
        assertThat(handlers)
                .doesNotContain(
                        ConnectHook.class.getName(),
                        FailedCommandHook.class.getName(),
                        MailFromHook.class.getName(),
                        JamesWelcomeMessageHandler.class.getName());
    }
}
