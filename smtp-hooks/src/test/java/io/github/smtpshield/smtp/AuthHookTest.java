package io.github.smtpshield.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.SmtpEvent;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.rules.FailedCommandLimit;
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

class AuthHookTest {
    private static final String WRONG_CREDENTIALS =
            Base64.getEncoder().encodeToString("\0nobody@example.test\0wrong".getBytes(StandardCharsets.UTF_8));

    private static final int LIMIT = 10;

    private final Shield shield = Sessions.shield(FailedCommandLimit.ELEMENT, new Limit(LIMIT, Mode.ENFORCE));
    private final ProtocolTransport transport = mock(ProtocolTransport.class);
    private final SMTPSession session = Sessions.admitted(shield, "192.0.2.10", transport);
    private final AuthHook auth = new AuthHook(shield);
    private final FailedCommandHook failedCommands = new FailedCommandHook(shield);

    /** How many failed commands the policy counted for the session: the failures it still allows tell. */
    private int failed() {
        ClientConnection client = ClientSessions.client(session).orElseThrow();
        for (int more = 1; more <= LIMIT + 1; more++) {
            if (shield.on(client, SmtpEvent.COMMAND_FAILED).join().isPresent()) {
                return LIMIT + 1 - more;
            }
        }
        throw new AssertionError("the limit of " + LIMIT + " never refused");
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
        Response reply = continuation
                .getValue()
                .onLine(session, (WRONG_CREDENTIALS + "\r\n").getBytes(StandardCharsets.US_ASCII));

        assertThat(reply.getRetCode()).isEqualTo("535");
        assertThat(failed()).isEqualTo(1);
    }

    private LineHandler<SMTPSession> continuationOf(String argument, String expectedCode) {
        assertThat(command(argument).getRetCode()).isEqualTo(expectedCode);
        @SuppressWarnings("unchecked")
        ArgumentCaptor<LineHandler<SMTPSession>> continuation = ArgumentCaptor.forClass(LineHandler.class);
        verify(transport).pushLineHandler(continuation.capture(), any());
        return continuation.getValue();
    }

    private static byte[] line(String text) {
        return (text + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Found by HostileSessionsIT: James kept the exchange open, so every later line was a 501 that nothing counted. */
    @Test
    void anAuthPlainLineThatCannotBeDecodedEndsTheExchangeAndCounts() {
        LineHandler<SMTPSession> continuation = continuationOf("PLAIN", "334");

        Response reply = continuation.onLine(session, line("HELO client.test"));

        assertThat(reply.getRetCode()).isEqualTo("501");
        verify(transport).popLineHandler();
        assertThat(failed()).isEqualTo(1);
    }

    /** Found by HostileSessionsIT: James threw on a user name that is not base64 (451 Unable to process request). */
    @Test
    void anAuthLoginUserNameThatIsNotBase64IsA501() {
        LineHandler<SMTPSession> continuation = continuationOf("LOGIN", "334");

        Response reply = continuation.onLine(session, line("RCPT TO:<fuzz@localhost>"));

        assertThat(reply.getLines()).containsExactly("501 Could not decode parameters for AUTH LOGIN");
        verify(transport).popLineHandler();
        assertThat(failed()).isEqualTo(1);
    }

    @Test
    void anAuthLoginUserNameThatIsNoUserNameIsA501() {
        LineHandler<SMTPSession> continuation = continuationOf("LOGIN", "334");

        Response reply = continuation.onLine(
                session, line(Base64.getEncoder().encodeToString("a@b@c".getBytes(StandardCharsets.UTF_8))));

        assertThat(reply.getRetCode()).isEqualTo("501");
        assertThat(failed()).isEqualTo(1);
    }

    @Test
    void anAuthLoginInitialResponseThatIsNotBase64IsA501CountedOnce() {
        assertThat(command("LOGIN !!!").getLines()).containsExactly("501 Could not decode parameters for AUTH LOGIN");

        assertThat(failed()).isEqualTo(1);
    }

    @Test
    void aValidAuthLoginUserNameAsksForThePassword() {
        LineHandler<SMTPSession> continuation = continuationOf("LOGIN", "334");

        Response reply = continuation.onLine(
                session,
                line(Base64.getEncoder().encodeToString("alice@example.test".getBytes(StandardCharsets.UTF_8))));

        assertThat(reply.getLines()).containsExactly("334 UGFzc3dvcmQ6");
        assertThat(failed()).isZero();
    }

    @Test
    void aStarAbortsTheExchange() {
        LineHandler<SMTPSession> continuation = continuationOf("PLAIN", "334");

        Response reply = continuation.onLine(session, line("*"));

        assertThat(reply.getLines()).containsExactly("501 5.7.1 Authentication aborted");
        verify(transport).popLineHandler();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Found by HostileSessionsIT: James logged the decoded user name of a failed AUTH, and its LF forged a log line. */
    @Test
    void anAuthPlainUserNameWithALineFeedIsA501CountedOnce() {
        Response reply = command("PLAIN " + base64("\0bob\n2026-12-02 05:00:00.000 [ERROR] forged\0secret"));

        assertThat(reply.getLines()).containsExactly("501 5.5.2 Control characters are not allowed in credentials");
        assertThat(failed()).isEqualTo(1);
    }

    @Test
    void controlCharactersOnAnAuthPlainContinuationLineEndTheExchangeAndCount() {
        LineHandler<SMTPSession> continuation = continuationOf("PLAIN", "334");

        Response reply = continuation.onLine(session, line(base64("\0bob\u001b[2J\0secret")));

        assertThat(reply.getRetCode()).isEqualTo("501");
        verify(transport).popLineHandler();
        assertThat(failed()).isEqualTo(1);
    }

    @Test
    void anAuthLoginUserNameWithACarriageReturnIsA501() {
        assertThat(command("LOGIN " + base64("bob\rforged")).getLines())
                .containsExactly("501 5.5.2 Control characters are not allowed in credentials");
        assertThat(failed()).isEqualTo(1);
    }

    @Test
    void anAuthLoginUserNameLineWithANextLineEndsTheExchangeAndCounts() {
        LineHandler<SMTPSession> continuation = continuationOf("LOGIN", "334");

        Response reply = continuation.onLine(session, line(base64("bob\u0085forged")));

        assertThat(reply.getRetCode()).isEqualTo("501");
        verify(transport).popLineHandler();
        assertThat(failed()).isEqualTo(1);
    }

    @Test
    void anAuthLoginPasswordWithAControlCharacterIsA501CountedOnce() {
        LineHandler<SMTPSession> userName = continuationOf("LOGIN", "334");
        assertThat(userName.onLine(session, line(base64("alice@example.test"))).getLines())
                .containsExactly("334 UGFzc3dvcmQ6");
        @SuppressWarnings("unchecked")
        ArgumentCaptor<LineHandler<SMTPSession>> handlers = ArgumentCaptor.forClass(LineHandler.class);
        verify(transport, org.mockito.Mockito.times(2)).pushLineHandler(handlers.capture(), any());

        Response reply = handlers.getAllValues().get(1).onLine(session, line(base64("se\0cret")));

        assertThat(reply.getLines()).containsExactly("501 5.5.2 Control characters are not allowed in credentials");
        assertThat(failed()).isEqualTo(1);
    }

    @Test
    void plainSeparatorsAndPrintableUnicodeAreNoControlCharacters() {
        assertThat(AuthHook.carriesControlCharacter("PLAIN", base64("\0jos\u00e9@example.test\0p\u00e4ss word")))
                .isFalse();
        assertThat(AuthHook.carriesControlCharacter("LOGIN", base64("a\0b"))).isTrue();
        assertThat(AuthHook.carriesControlCharacter("PLAIN", base64("\0a\u2028b\0c")))
                .isTrue();
        assertThat(AuthHook.carriesControlCharacter("PLAIN", "not base64!")).isFalse();
    }
}
