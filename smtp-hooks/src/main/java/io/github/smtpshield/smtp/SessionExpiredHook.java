package io.github.smtpshield.smtp;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.SmtpEvent;
import io.github.smtpshield.policy.rules.SessionDurationLimit;
import io.netty.channel.Channel;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolSessionImpl;
import org.apache.james.protocols.smtp.MailEnvelope;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.MessageHook;

/**
 * The session reached {@code <session><maxDuration>}: a timer started at connect, on the connection's own thread (so it
 * never runs beside one of the session's commands), tells the shield; its {@code 421 4.4.2} is written and the
 * connection closed at once, even when the client reads nothing (a full send buffer must not keep it open). A message
 * whose end of DATA was already read but not yet handled is refused here, not delivered. The timer is cancelled at
 * disconnect, so a closed session holds no memory until its deadline.
 */
public class SessionExpiredHook implements MessageHook {
    private static final ProtocolSession.AttachmentKey<Timer> TIMER =
            ProtocolSession.AttachmentKey.of("smtpshield.sessionTimer", Timer.class);
    private static final ProtocolSession.AttachmentKey<Boolean> EXPIRED =
            ProtocolSession.AttachmentKey.of("smtpshield.sessionExpired", Boolean.class);

    /** The session's deadline on its channel's thread. */
    private record Timer(ScheduledFuture<?> future) {}

    /** At connect of a session the shield guards. */
    static void start(Shield shield, SMTPSession session) {
        shield.rule(SessionDurationLimit.class).maxDuration().ifPresent(limit -> {
            Channel channel = SessionChannel.of(session);
            ScheduledFuture<?> timer = channel.eventLoop()
                    .schedule(() -> expire(shield, session, channel), limit.toMillis(), TimeUnit.MILLISECONDS);
            session.setAttachment(TIMER, new Timer(timer), ProtocolSession.State.Connection);
        });
    }

    /** At disconnect. */
    static void cancel(SMTPSession session) {
        session.getAttachment(TIMER, ProtocolSession.State.Connection)
                .ifPresent(timer -> timer.future().cancel(false));
    }

    private static void expire(Shield shield, SMTPSession session, Channel channel) {
        if (!channel.isActive()) {
            return;
        }
        // Before its PROXY header the client is not known: the proxy's session is the one that lasted too long.
        ClientConnection client = ClientSessions.client(session)
                .orElseGet(() -> shield.connection(session.getRemoteAddress().getAddress()));
        shield.on(client, SmtpEvent.SESSION_EXPIRED).join().ifPresent(refusal -> {
            session.setAttachment(EXPIRED, Boolean.TRUE, ProtocolSession.State.Connection);
            ProtocolSessionImpl impl = (ProtocolSessionImpl) session;
            impl.getProtocolTransport().setReadable(false);
            impl.getProtocolTransport().writeResponse(Replies.response(refusal, client), session);
            // James closes once the reply is flushed, which a client that reads nothing delays for ever: now.
            var unused = channel.close();
        });
    }

    @Override
    public HookResult onMessage(SMTPSession session, MailEnvelope mail) {
        return session.getAttachment(EXPIRED, ProtocolSession.State.Connection).isPresent()
                ? HookResult.DENY
                : HookResult.DECLINED;
    }
}
