package io.github.smtpshield.smtp;

import io.github.smtpshield.policy.CheckedInSession;
import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.SmtpEvent.DeclaredSize;
import io.github.smtpshield.policy.SmtpEvent.MessageData;
import io.github.smtpshield.policy.rules.MessageSizeLimit;
import java.util.List;
import java.util.Optional;
import javax.inject.Inject;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.smtp.MailEnvelope;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.DataLineFilter;
import org.apache.james.protocols.smtp.core.esmtp.EhloExtension;
import org.apache.james.protocols.smtp.core.esmtp.MailSizeEsmtpExtension;
import org.apache.james.protocols.smtp.dsn.DSNStatus;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MailParametersHook;
import org.apache.james.protocols.smtp.hook.MessageHook;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/**
 * The SIZE extension (RFC 1870) with the shield's {@code <maxMessageSize>} as the one size limit. It takes the place
 * of James's {@link MailSizeEsmtpExtension} in {@link ShieldCoreHandlers}, so a guarded listener ignores James's
 * {@code <maxmessagesize>}.
 * <ul>
 *   <li>EHLO advertises {@code SIZE <bytes>};</li>
 *   <li>{@code MAIL FROM:<...> SIZE=n} over the limit: {@code 552 5.3.4};</li>
 *   <li>DATA: the bytes are counted as RFC 1870 counts them (line ends included, the dots of dot-stuffing and the
 *       final dot not). Once over the limit the rest of the stream is read and dropped, so neither memory nor the
 *       spool holds more than the limit; the end of DATA is answered {@code 552 5.3.4 Message size exceeds fixed
 *       limit}, nothing is delivered, and the session is ready for the next message;</li>
 *   <li>a message accepted carries the size counted here to the mailets ({@link CheckedInSession}): they measure the
 *       same bytes (James's {@code Received:} field comes after this count) and do not bounce what the session
 *       accepted.</li>
 * </ul>
 */
public class MessageSizeHook
        implements MailParametersHook, EhloExtension, DataLineFilter, MessageHook, JamesMessageHook {
    private static final String[] PARAMETERS = {"SIZE"};
    private static final HookResult NOT_A_SIZE = HookResult.builder()
            .hookReturnCode(HookReturnCode.deny())
            .smtpReturnCode(SMTPRetCode.SYNTAX_ERROR_ARGUMENTS)
            .smtpDescription(DSNStatus.getStatus(DSNStatus.PERMANENT, DSNStatus.DELIVERY_INVALID_ARG)
                    + " Syntactically incorrect value for SIZE parameter")
            .build();
    private static final ProtocolSession.AttachmentKey<Meter> METER =
            ProtocolSession.AttachmentKey.of("smtpshield.messageSize", Meter.class);
    private static final byte DOT = '.';

    /** The size of the message under way, and the refusal it earned once it went over the limit. */
    private static final class Meter {
        private long bytes;
        private boolean judged;
        private Optional<Refusal> refusal = Optional.empty();
    }

    private final Shield shield;
    private final MessageSizeLimit limit;

    @Inject
    public MessageSizeHook(Shield shield) {
        this.shield = shield;
        this.limit = shield.rule(MessageSizeLimit.class);
    }

    @Override
    public List<String> getImplementedEsmtpFeatures(SMTPSession session) {
        return limit.advertised().stream().mapToObj(size -> "SIZE " + size).toList();
    }

    @Override
    public String[] getMailParamNames() {
        return PARAMETERS.clone();
    }

    @Override
    public HookResult doMailParameter(SMTPSession session, String paramName, String paramValue) {
        long declared;
        try {
            declared = Long.parseLong(paramValue);
        } catch (NumberFormatException notANumber) {
            return NOT_A_SIZE;
        }
        if (declared < 0) {
            return NOT_A_SIZE;
        }
        return ClientSessions.hookResult(shield, session, new DeclaredSize(declared));
    }

    @Override
    public Response onLine(SMTPSession session, byte[] line, LineHandler<SMTPSession> next) {
        if (isEndOfData(line)) {
            return next.onLine(session, line);
        }
        Meter meter = session.getAttachment(METER, ProtocolSession.State.Transaction)
                .orElseGet(() -> {
                    Meter created = new Meter();
                    session.setAttachment(METER, created, ProtocolSession.State.Transaction);
                    return created;
                });
        if (meter.refusal.isPresent()) {
            return null;
        }
        meter.bytes += isDotStuffed(line) ? line.length - 1 : line.length;
        // Asked once per message, when the count first goes over the limit: not a dispatch per line.
        if (!meter.judged && limit.exceeds(meter.bytes)) {
            meter.judged = true;
            meter.refusal = ClientSessions.client(session)
                    .flatMap(client ->
                            shield.on(client, new MessageData(meter.bytes)).join());
            if (meter.refusal.isPresent()) {
                return null;
            }
        }
        return next.onLine(session, line);
    }

    @Override
    public HookResult onMessage(SMTPSession session, MailEnvelope mail) {
        Optional<ClientConnection> client = ClientSessions.client(session);
        return session.getAttachment(METER, ProtocolSession.State.Transaction)
                .flatMap(meter -> meter.refusal)
                .flatMap(refusal -> client.map(connection -> Replies.hookResult(refusal, connection)))
                .orElse(HookResult.DECLINED);
    }

    /** The message passed the session's checks; it goes on to James's queue with the size counted here. */
    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        if (ClientSessions.client(session).isPresent()) {
            long bytes = session.getAttachment(METER, ProtocolSession.State.Transaction)
                    .map(meter -> meter.bytes)
                    .orElse(0L);
            mail.setAttribute(new Attribute(AttributeName.of(CheckedInSession.ATTRIBUTE), AttributeValue.of(bytes)));
        }
        return HookResult.DECLINED;
    }

    /** ".\r\n", as James's DATA handler ends the message. */
    private static boolean isEndOfData(byte[] line) {
        return line.length == 3 && line[0] == DOT;
    }

    private static boolean isDotStuffed(byte[] line) {
        return line.length > 1 && line[0] == DOT && line[1] == DOT;
    }
}
