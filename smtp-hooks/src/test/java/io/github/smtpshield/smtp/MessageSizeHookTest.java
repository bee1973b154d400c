package io.github.smtpshield.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.github.smtpshield.policy.CheckedInSession;
import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.rules.MessageSizeLimit;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.smtp.MailEnvelope;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.AttributeName;
import org.apache.mailet.Mail;
import org.junit.jupiter.api.Test;

class MessageSizeHookTest {
    private static final int LIMIT = 100;
    private static final String LINE = "x".repeat(38) + "\r\n";

    private final Shield shield = Sessions.shield(MessageSizeLimit.ELEMENT, new Limit(LIMIT, Mode.ENFORCE));
    private final SMTPSession session = Sessions.admitted(shield, "192.0.2.10");
    private final MessageSizeHook size = new MessageSizeHook(shield);
    private final List<String> delivered = new ArrayList<>();
    private final LineHandler<SMTPSession> next = (session, line) -> {
        delivered.add(new String(line, StandardCharsets.US_ASCII));
        return line.length == 3 && line[0] == '.' ? new SMTPResponse("250", "2.6.0 Message received") : null;
    };

    private Response line(String line) {
        return size.onLine(session, line.getBytes(StandardCharsets.US_ASCII), next);
    }

    private HookResult endOfData() {
        line(".\r\n");
        return size.onMessage(session, mock(MailEnvelope.class));
    }

    @Test
    void anAcceptedMessageCarriesTheSizeTheSessionCountedToTheMailets() throws Exception {
        line("Subject: a\r\n");
        line("\r\n");
        line("..dot-stuffed\r\n");
        assertThat(endOfData()).isEqualTo(HookResult.DECLINED);
        MailImpl mail = MailImpl.builder().name("m1").build();

        assertThat(size.onMessage(session, (Mail) mail)).isEqualTo(HookResult.DECLINED);

        // 12 + 2 + 14 bytes: line ends counted, the dot of dot-stuffing and the final dot not.
        assertThat(mail.getAttribute(AttributeName.of(CheckedInSession.ATTRIBUTE)))
                .map(attribute -> (Object) attribute.getValue().value())
                .contains(28L);
    }

    @Test
    void ehloAdvertisesTheLimit() {
        assertThat(size.getImplementedEsmtpFeatures(session)).containsExactly("SIZE " + LIMIT);
    }

    @Test
    void mailFromSizeOverTheLimitIsRefused() {
        assertThat(size.doMailParameter(session, "SIZE", String.valueOf(LIMIT))).isEqualTo(HookResult.DECLINED);

        HookResult over = size.doMailParameter(session, "SIZE", String.valueOf(LIMIT + 1));
        assertThat(over.getSmtpRetCode()).isEqualTo("552");
        assertThat(over.getSmtpDescription()).isEqualTo("5.3.4 Message size exceeds fixed limit");
        assertThat(over.getResult().isDisconnected()).isFalse();
        assertThat(size.doMailParameter(session, "SIZE", "lots").getSmtpRetCode())
                .isEqualTo("501");
        assertThat(size.doMailParameter(session, "SIZE", "99999999999999999999").getSmtpRetCode())
                .isEqualTo("501");
    }

    @Test
    void aMessageOfExactlyTheLimitPasses() {
        line(LINE);
        line(LINE);
        line("x".repeat(18) + "\r\n");

        assertThat(endOfData()).isEqualTo(HookResult.DECLINED);
        assertThat(delivered).hasSize(4);
    }

    @Test
    void overTheLimitTheRestIsDroppedAndTheEndOfDataRefused() {
        line(LINE);
        line(LINE);
        line(LINE);
        for (int i = 0; i < 1000; i++) {
            assertThat(line(LINE)).isNull();
        }

        HookResult result = endOfData();

        assertThat(delivered).containsExactly(LINE, LINE, ".\r\n");
        assertThat(result.getResult().getAction()).isEqualTo(HookReturnCode.Action.DENY);
        assertThat(result.getSmtpRetCode() + " " + result.getSmtpDescription())
                .isEqualTo("552 5.3.4 Message size exceeds fixed limit");
    }

    @Test
    void theDotOfDotStuffingIsNotCounted() {
        line(LINE);
        line(LINE);
        // ".xxx…" (20 bytes with its line end) as the client sends it: "..xxx…" (21 bytes)
        line(".." + "x".repeat(17) + "\r\n");

        assertThat(endOfData()).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void theNextMessageStartsFromZero() {
        for (int i = 0; i < 4; i++) {
            line(LINE);
        }
        assertThat(endOfData().getSmtpRetCode()).isEqualTo("552");
        session.resetState();
        delivered.clear();

        line(LINE);

        assertThat(endOfData()).isEqualTo(HookResult.DECLINED);
        assertThat(delivered).containsExactly(LINE, ".\r\n");
    }

    @Test
    void observeModeAdvertisesNothingAndLetsTheMessageThrough() {
        Shield observing = Sessions.shield(MessageSizeLimit.ELEMENT, new Limit(LIMIT, Mode.OBSERVE));
        MessageSizeHook observed = new MessageSizeHook(observing);
        SMTPSession client = Sessions.admitted(observing, "192.0.2.11");

        assertThat(observed.getImplementedEsmtpFeatures(client)).isEmpty();
        for (int i = 0; i < 5; i++) {
            observed.onLine(client, LINE.getBytes(StandardCharsets.US_ASCII), next);
        }
        observed.onLine(client, ".\r\n".getBytes(StandardCharsets.US_ASCII), next);

        assertThat(observed.onMessage(client, mock(MailEnvelope.class))).isEqualTo(HookResult.DECLINED);
        assertThat(delivered).hasSize(6);
    }
}
