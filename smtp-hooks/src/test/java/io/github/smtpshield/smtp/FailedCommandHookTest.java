package io.github.smtpshield.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.rules.FailedCommandLimit;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandDispatcher;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MessageHook;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.junit.jupiter.api.Test;

class FailedCommandHookTest {
    private static final int LIMIT = 2;

    private final Shield shield = Sessions.shield(FailedCommandLimit.ELEMENT, new Limit(LIMIT, Mode.ENFORCE));
    private final SMTPSession session = Sessions.admitted(shield, "192.0.2.10");
    private final FailedCommandHook failedCommands = new FailedCommandHook(shield);

    @SuppressWarnings("unchecked")
    private final CommandHandler<SMTPSession> commandHandler = mock(CommandHandler.class);

    private final CommandDispatcher<SMTPSession> dispatcher = new CommandDispatcher<>();

    /** As James does: the reply goes to the result handlers with the command's handler, then with the dispatcher. */
    private Response reply(Response response) {
        Response afterCommandHandler = failedCommands.onResponse(session, response, 0, commandHandler);
        return failedCommands.onResponse(session, afterCommandHandler, 0, dispatcher);
    }

    @Test
    void countsEachFailedCommandOnceThoughJamesHandsItOverTwice() {
        SMTPResponse unknown = new SMTPResponse("500", "5.5.1 Command FOO unrecognized.");

        assertThat(reply(unknown)).isSameAs(unknown);
        assertThat(reply(unknown)).isSameAs(unknown);
        Response third = reply(unknown);

        assertThat(third.getLines()).containsExactly("421 4.7.0 Too many errors from 192.0.2.10, closing connection");
        assertThat(third.isEndSession()).isTrue();
    }

    @Test
    void theCountOutlivesTheTransactionLikeRsetOrStarttlsReset() {
        reply(new SMTPResponse("500", "5.5.1 Command FOO unrecognized."));
        reply(new SMTPResponse("503", "5.5.0 Bad sequence"));
        session.resetState();

        assertThat(reply(new SMTPResponse("501", "5.5.4 Syntax error")).getRetCode())
                .isEqualTo("421");
    }

    @Test
    void successesAndTooManyRecipientsAreNotFailures() {
        SMTPResponse ok = new SMTPResponse("250", "2.0.0 OK");
        SMTPResponse tooManyRecipients = new SMTPResponse("452", "4.5.3 Too many recipients");
        for (int i = 0; i < 10; i++) {
            assertThat(reply(ok)).isSameAs(ok);
            assertThat(reply(tooManyRecipients)).isSameAs(tooManyRecipients);
        }
        SMTPResponse storage = new SMTPResponse("452", "4.3.1 Insufficient system storage");

        assertThat(reply(storage)).isSameAs(storage);
        assertThat(reply(storage)).isSameAs(storage);
        assertThat(reply(storage).getRetCode()).as("another 452 is a failure").isEqualTo("421");
    }

    @Test
    void aReplyThatClosesAnywayKeepsItsWords() {
        SMTPResponse harvest = new SMTPResponse("421", "4.7.1 Too many unknown recipients");
        harvest.setEndSession(true);

        reply(new SMTPResponse("500", "5.5.1 Command FOO unrecognized."));
        reply(new SMTPResponse("500", "5.5.1 Command FOO unrecognized."));

        assertThat(reply(harvest)).isSameAs(harvest);
    }

    @Test
    void aRejectedMessageAtTheEndOfDataCountsThroughItsHookResult() {
        HookResult rejected = HookResult.builder()
                .hookReturnCode(HookReturnCode.deny())
                .smtpReturnCode("554")
                .smtpDescription("5.6.0 No")
                .build();
        MessageHook messageHook = mock(MessageHook.class);

        assertThat(failedCommands.onHookResult(session, rejected, 0, messageHook))
                .isSameAs(rejected);
        assertThat(failedCommands.onHookResult(session, HookResult.DECLINED, 0, messageHook))
                .isSameAs(HookResult.DECLINED);
        assertThat(failedCommands.onHookResult(session, rejected, 0, messageHook))
                .isSameAs(rejected);
        HookResult third = failedCommands.onHookResult(session, rejected, 0, messageHook);

        assertThat(third.getSmtpRetCode()).isEqualTo("421");
        assertThat(third.getResult().isDisconnected()).isTrue();
    }

    @Test
    void otherHooksAreCountedByTheirCommandsReplyNotByTheirResult() {
        HookResult rejected = HookResult.builder()
                .hookReturnCode(HookReturnCode.deny())
                .smtpReturnCode("550")
                .smtpDescription("5.1.1 Unknown")
                .build();
        RcptHook rcptHook = mock(RcptHook.class);

        for (int i = 0; i < 5; i++) {
            assertThat(failedCommands.onHookResult(session, rejected, 0, rcptHook))
                    .isSameAs(rejected);
        }
    }
}
