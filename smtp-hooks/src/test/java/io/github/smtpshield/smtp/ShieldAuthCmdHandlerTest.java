package io.github.smtpshield.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.apache.james.protocols.api.BaseRequest;
import org.apache.james.protocols.api.ProtocolTransport;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandDispatcher;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.smtp.SMTPSession;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.config.SessionLimits;

class ShieldAuthCmdHandlerTest {
    private static final String WRONG_CREDENTIALS =
        Base64.getEncoder().encodeToString("\0nobody@example.test\0wrong".getBytes(StandardCharsets.UTF_8));

    private final Shield shield = Sessions.shield(new SessionLimits(new Limit(10, Mode.ENFORCE), Limit.off(), Limit.off()));
    private final ProtocolTransport transport = mock(ProtocolTransport.class);
    private final SMTPSession session = Sessions.admitted(shield, "192.0.2.10", transport);
    private final ShieldAuthCmdHandler auth = new ShieldAuthCmdHandler(shield);
    private final FailedCommands failedCommands = new FailedCommands(shield);

    private int failed() {
        return ShieldSessions.client(session).orElseThrow().failedCommands();
    }

    /** The AUTH command line, as James dispatches it: its reply reaches the result handlers twice. */
    private Response command(String argument) {
        Response response = auth.onCommand(session, new BaseRequest("AUTH", argument));
        response = failedCommands.onResponse(session, response, 0, auth);
        return failedCommands.onResponse(session, response, 0, new CommandDispatcher<SMTPSession>());
    }

    @Test
    void aFailureOnTheCommandLineIsCountedOnce() {
        assertThat(command("PLAIN " + WRONG_CREDENTIALS).getRetCode()).isEqualTo("535");

        assertThat(failed()).isEqualTo(1);
    }

    @Test
    void aFailureOnAContinuationLineIsCountedThere() {
        assertThat(command("PLAIN").getRetCode()).isEqualTo("334");
        @SuppressWarnings("unchecked")
        ArgumentCaptor<LineHandler<SMTPSession>> continuation = ArgumentCaptor.forClass(LineHandler.class);
        verify(transport).pushLineHandler(continuation.capture(), any());

        // James writes this reply itself: no result handler sees it.
        Response reply = continuation.getValue().onLine(session, (WRONG_CREDENTIALS + "\r\n").getBytes(StandardCharsets.US_ASCII));

        assertThat(reply.getRetCode()).isEqualTo("535");
        assertThat(failed()).isEqualTo(1);
    }
}
