package io.github.smtpshield.smtp;

import io.netty.channel.Channel;
import java.lang.reflect.Field;
import org.apache.james.protocols.api.ProtocolSessionImpl;
import org.apache.james.protocols.netty.NettyProtocolTransport;
import org.apache.james.protocols.smtp.SMTPSession;

/**
 * The Netty channel of a James session. James 3.8.1 keeps it private to its transport, yet two things happen only
 * there: the PROXY header is read (no hook fires then) and a timer can run on the channel's own thread, beside the
 * session's commands. Read once per connection, at connect.
 */
final class SessionChannel {
    private static final Field CHANNEL = channelField();

    private SessionChannel() {}

    static Channel of(SMTPSession session) {
        if (!(session instanceof ProtocolSessionImpl impl)
                || !(impl.getProtocolTransport() instanceof NettyProtocolTransport transport)) {
            throw new IllegalStateException("not a session of James's Netty SMTP server: " + session);
        }
        try {
            return (Channel) CHANNEL.get(transport);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("James's NettyProtocolTransport hides its channel", e);
        }
    }

    private static Field channelField() {
        try {
            Field channel = NettyProtocolTransport.class.getDeclaredField("channel");
            channel.setAccessible(true);
            return channel;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("James's NettyProtocolTransport has no channel field (not James 3.8)", e);
        }
    }
}
