package io.github.smtpshield.smtp;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.SmtpEvent;
import java.net.InetAddress;
import java.util.Optional;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolSessionImpl;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;

/** The policy's view of a connection, kept with James's session for as long as the connection lives. */
final class ClientSessions {
    private static final ProtocolSession.AttachmentKey<ClientConnection> CLIENT =
            ProtocolSession.AttachmentKey.of("smtpshield.client", ClientConnection.class);

    /** The client of a listener the policy does not guard, as the bans see it (AUTH on 465 and 587). */
    private static final ProtocolSession.AttachmentKey<ClientConnection> SUBMISSION_CLIENT =
            ProtocolSession.AttachmentKey.of("smtpshield.submissionClient", ClientConnection.class);

    private ClientSessions() {}

    /**
     * Connect on a listener the policy does not guard: only the bans judge the client (a blocked key or network is
     * refused there too); the client is kept for its AUTH ({@link #authClient}), and nothing else judges it.
     */
    static Optional<Response> admitToSubmission(Shield shield, SMTPSession session) {
        ClientConnection client = shield.connection(session.getRemoteAddress().getAddress());
        session.setAttachment(SUBMISSION_CLIENT, client, ProtocolSession.State.Connection);
        return shield.on(client, SmtpEvent.SUBMISSION_CONNECT).join().map(refusal -> Replies.response(refusal, client));
    }

    /** The client whose AUTH the bans count: on a guarded listener its one client, on the others its submission one. */
    static Optional<ClientConnection> authClient(SMTPSession session) {
        Optional<ClientConnection> client = client(session);
        return client.isPresent() ? client : session.getAttachment(SUBMISSION_CLIENT, ProtocolSession.State.Connection);
    }

    /**
     * Connect-time admission of the session's client (for a PROXY listener, the source the proxy reported): the
     * client is kept with the session, and the reply is the refusal's when the shield refuses it.
     */
    static Optional<Response> admit(Shield shield, SMTPSession session) {
        ClientConnection client = shield.connection(session.getRemoteAddress().getAddress());
        remember(session, client);
        return shield.on(client, SmtpEvent.CONNECT).join().map(refusal -> Replies.response(refusal, client));
    }

    /**
     * Sends the event of the session's client to the shield and waits for its answer (bounded: see
     * {@link Shield#on}): the hook result of the refusal, or {@link HookResult#DECLINED} to let James go on. A session
     * the shield did not admit (not a guarded listener, or before admission) is not judged.
     */
    static HookResult hookResult(Shield shield, SMTPSession session, SmtpEvent event) {
        return refusal(shield, session, event).orElse(HookResult.DECLINED);
    }

    /** As {@link #hookResult}, empty when nothing is refused. */
    static Optional<HookResult> refusal(Shield shield, SMTPSession session, SmtpEvent event) {
        return client(session)
                .flatMap(client -> shield.on(client, event).join().map(refusal -> Replies.hookResult(refusal, client)));
    }

    /** As {@link #hookResult}, as a protocol response; empty to keep the reply James has. */
    static Optional<Response> response(Shield shield, SMTPSession session, SmtpEvent event) {
        return client(session)
                .flatMap(client -> shield.on(client, event).join().map(refusal -> Replies.response(refusal, client)));
    }

    static void remember(SMTPSession session, ClientConnection client) {
        session.setAttachment(CLIENT, client, ProtocolSession.State.Connection);
    }

    /** The client of a guarded session, told whether it has authenticated since; empty before admission. */
    static Optional<ClientConnection> client(SMTPSession session) {
        Optional<ClientConnection> client = session.getAttachment(CLIENT, ProtocolSession.State.Connection);
        if (session.getUsername() != null) {
            client.ifPresent(ClientConnection::authenticated);
        }
        return client;
    }

    /**
     * A {@code proxyRequired} session at connect: its peer is refused unless it is a trusted proxy, and then not one byte
     * of what it sent is read (it claims no address).
     */
    static Optional<Response> refuseUntrustedProxy(Shield shield, SMTPSession session) {
        InetAddress peer = session.getRemoteAddress().getAddress();
        return shield.proxyPeer(peer).map(refusal -> {
            ((ProtocolSessionImpl) session).getProtocolTransport().setReadable(false);
            return Replies.response(refusal, peer);
        });
    }

    /** On a PROXY listener the client is known only once the PROXY header is read, after the greeting. */
    static boolean isBehindProxy(SMTPSession session) {
        return session instanceof ProtocolSessionImpl impl
                && impl.getProtocolTransport().isProxyRequired();
    }
}
