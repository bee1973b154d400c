package io.github.smtpshield.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.protocols.netty.AbstractChannelPipelineFactory;
import org.apache.james.protocols.netty.AllButStartTlsLineChannelHandlerFactory;
import org.apache.james.protocols.netty.Encryption;
import org.apache.james.protocols.netty.NettyServer;
import org.apache.james.protocols.smtp.MailEnvelope;
import org.apache.james.protocols.smtp.SMTPConfigurationImpl;
import org.apache.james.protocols.smtp.SMTPProtocol;
import org.apache.james.protocols.smtp.SMTPProtocolHandlerChain;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HeloHook;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.MailHook;
import org.apache.james.protocols.smtp.hook.MessageHook;
import org.apache.james.protocols.smtp.hook.RcptHook;

/**
 * A real remote SMTP server on loopback for James's RemoteDelivery to talk to, in the test's JVM: James's own SMTP
 * protocol stack (protocols-smtp on Netty), with STARTTLS (a throw-away self-signed certificate,
 * {@link SelfSignedCertificate}) or without. It accepts everything and records every EHLO, MAIL, RCPT and message with
 * whether the session was encrypted at that moment.
 */
public final class RemoteSmtpServer implements AutoCloseable {

    /** An EHLO (or HELO) with its host name, a MAIL with its sender, or a RCPT with its recipient. */
    public record Command(String name, String argument, boolean tls) {}

    /** A message received, with its envelope; {@code tls}: whether DATA came inside TLS. */
    public record Message(String sender, List<String> recipients, String content, boolean tls) {}

    private final List<Command> commands = new CopyOnWriteArrayList<>();
    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final NettyServer server;

    private RemoteSmtpServer(Encryption encryption) throws Exception {
        SMTPProtocolHandlerChain chain = new SMTPProtocolHandlerChain(new RecordingMetricFactory(), new Recorder());
        server = new NettyServer.Factory()
                .protocol(new SMTPProtocol(chain, new SMTPConfigurationImpl()))
                .secure(encryption)
                .frameHandlerFactory(new AllButStartTlsLineChannelHandlerFactory(
                        "starttls", AbstractChannelPipelineFactory.MAX_LINE_LENGTH))
                .build();
        server.setListenAddresses(new InetSocketAddress("127.0.0.1", 0));
        server.bind();
    }

    /** A server that offers STARTTLS. */
    public static RemoteSmtpServer withStartTls() {
        return start(Encryption.createStartTls(SelfSignedCertificate.serverContext("mx.remote.test")));
    }

    /** A server that offers no STARTTLS: everything sent to it is in clear. */
    public static RemoteSmtpServer withoutStartTls() {
        return start(null);
    }

    private static RemoteSmtpServer start(Encryption encryption) {
        try {
            return new RemoteSmtpServer(encryption);
        } catch (Exception e) {
            throw new IllegalStateException("the remote SMTP server did not start", e);
        }
    }

    public int port() {
        return server.getListenAddresses().get(0).getPort();
    }

    /** Every EHLO, MAIL and RCPT so far, in order. */
    public List<Command> commands() {
        return List.copyOf(commands);
    }

    /** The commands of one kind: "EHLO", "MAIL" or "RCPT". */
    public List<Command> commands(String name) {
        return commands.stream().filter(command -> command.name().equals(name)).toList();
    }

    /** The messages received, in order. */
    public List<Message> messages() {
        return List.copyOf(messages);
    }

    /** Closes the port and stops the server's threads. */
    @Override
    public void close() {
        server.unbind();
    }

    /** Records what the server is sent and lets James's default handlers answer (250 to all). */
    private final class Recorder implements HeloHook, MailHook, RcptHook, MessageHook {
        @Override
        public HookResult doHelo(SMTPSession session, String helo) {
            commands.add(new Command("EHLO", helo, session.isTLSStarted()));
            return HookResult.DECLINED;
        }

        @Override
        public HookResult doMail(SMTPSession session, MaybeSender sender) {
            commands.add(new Command("MAIL", sender.asString(), session.isTLSStarted()));
            return HookResult.DECLINED;
        }

        @Override
        public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
            commands.add(new Command("RCPT", rcpt.asString(), session.isTLSStarted()));
            return HookResult.DECLINED;
        }

        @Override
        public HookResult onMessage(SMTPSession session, MailEnvelope mail) {
            try (InputStream content = mail.getMessageInputStream()) {
                messages.add(new Message(
                        mail.getMaybeSender().asString(),
                        mail.getRecipients().stream().map(MailAddress::asString).toList(),
                        new String(content.readAllBytes(), UTF_8),
                        session.isTLSStarted()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return HookResult.OK;
        }
    }
}
