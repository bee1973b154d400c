package io.github.smtpshield.smtp;

import io.github.smtpshield.policy.Shield;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import org.apache.james.protocols.api.ProtocolSessionImpl;
import org.apache.james.protocols.netty.HandlerConstants;
import org.apache.james.protocols.smtp.SMTPSession;

/**
 * The PROXY header of a connection from a trusted proxy: the client it names is admitted at once, as a direct client is
 * at connect, so a connection that sends its header and nothing more holds a slot of that client. James reads the
 * header after the greeting and fires no hook then: this handler sits on the connection's channel, before James's, and
 * acts once James has taken the source from the header. A refusal (a blocked client, one connection too many) is
 * written then, and the connection closed.
 */
final class ProxyHeaderHook extends ChannelInboundHandlerAdapter {
    private static final String NAME = "smtpshield-proxy-header";

    private final Shield shield;
    private final SMTPSession session;

    private ProxyHeaderHook(Shield shield, SMTPSession session) {
        this.shield = shield;
        this.session = session;
    }

    /** At connect, on a {@code proxyRequired} listener, for a peer that is a trusted proxy. */
    static void install(Shield shield, SMTPSession session) {
        SessionChannel.of(session)
                .pipeline()
                .addBefore(HandlerConstants.CORE_HANDLER, NAME, new ProxyHeaderHook(shield, session));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
        boolean header = message instanceof HAProxyMessage;
        // James's handler runs on this same thread: once it returns, the session's address is the header's source.
        super.channelRead(ctx, message);
        if (header) {
            ctx.pipeline().remove(this);
            ClientSessions.admit(shield, session)
                    .ifPresent(refusal -> ((ProtocolSessionImpl) session)
                            .getProtocolTransport()
                            .writeResponse(refusal, session));
        }
    }
}
