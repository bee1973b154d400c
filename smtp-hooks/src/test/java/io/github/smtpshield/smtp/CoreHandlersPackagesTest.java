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

        assertThat(handlers.subList(0, 3))
                .containsExactly(
                        ProxiedConnectHook.class.getName(),
                        DisconnectHook.class.getName(),
                        AuthRequiresTls.class.getName());
        assertThat(handlers)
                .contains(
                        FailedCommandHook.class.getName(),
                        ConnectHook.class.getName(),
                        MessageSizeHook.class.getName(),
                        AuthHook.class.getName(),
                        RemoteRecipientHook.class.getName())
                .doesNotContain(
                        JamesWelcomeMessageHandler.class.getName(),
                        MailSizeEsmtpExtension.class.getName(),
                        AuthCmdHandler.class.getName(),
                        AuthRequiredToRelayRcptHook.class.getName())
                .doesNotHaveDuplicates()
                .hasSize(JAMES.size() + 8);
        assertThat(handlers.subList(8, handlers.size())).hasSameSizeAs(JAMES);
    }

    @Test
    void theSubmissionListenerRunsJamesWithTheMendsAndNoPolicy() {
        List<String> handlers = new SubmissionCoreHandlers().getHandlers();

        assertThat(handlers.get(0)).isEqualTo(AuthRequiresTls.class.getName());
        assertThat(handlers.subList(1, handlers.size()))
                .containsExactlyElementsOf(JAMES.stream()
                        .map(handler ->
                                handler.equals(AuthCmdHandler.class.getName()) ? AuthHook.class.getName() : handler)
                        .toList());
        assertThat(handlers)
                .doesNotContain(
                        ConnectHook.class.getName(),
                        FailedCommandHook.class.getName(),
                        MailFromHook.class.getName(),
                        ProxiedConnectHook.class.getName());
    }
}
