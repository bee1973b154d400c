package io.github.smtpshield.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocket;
import org.awaitility.Awaitility;

/**
 * A raw SMTP client over a real socket, bound to a chosen loopback source address (127.0.0.2, 127.0.0.3 ...
 * look like distinct clients to the server). Replies are returned whole, so tests assert exact reply lines.
 */
public final class SmtpClient implements AutoCloseable {
    private static final int READ_TIMEOUT_MILLIS = 30_000;

    private Socket socket;
    private BufferedReader in;
    private OutputStream out;
    private final Reply greeting;

    private SmtpClient(Socket socket) throws IOException {
        useSocket(socket);
        this.greeting = readReply();
    }

    private void useSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
        this.out = socket.getOutputStream();
    }

    /** Connects from 127.0.0.1. */
    public static SmtpClient connect(int port) {
        return connect("127.0.0.1", port);
    }

    /** Connects from the given local (source) address and reads the greeting. */
    public static SmtpClient connect(String sourceAddress, int port) {
        try {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress(InetAddress.getByName(sourceAddress), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            return new SmtpClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Connects from {@code sourceAddress} again and again (within 20 s) until the server greets it with 220, as when
     * a slot of the client's comes back; returns that session. {@code what} names the wait in a timeout's message.
     */
    public static SmtpClient connectOnceAdmitted(String what, String sourceAddress, int port) {
        AtomicReference<SmtpClient> admitted = new AtomicReference<>();
        Awaitility.await(what)
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    SmtpClient client = connect(sourceAddress, port);
                    if (client.greeting().code() == 220) {
                        admitted.set(client);
                        return true;
                    }
                    client.close();
                    return false;
                });
        return admitted.get();
    }

    /** Connects with TLS from the first byte (SMTPS, port 465), from the given local address. */
    public static SmtpClient connectTls(String sourceAddress, int port) {
        try {
            SSLSocket socket = (SSLSocket) SelfSignedTls.socketFactory().createSocket();
            socket.bind(new InetSocketAddress(InetAddress.getByName(sourceAddress), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.startHandshake();
            return new SmtpClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Reply greeting() {
        return greeting;
    }

    /**
     * STARTTLS: on a 220 the session goes on over TLS (the server's self-signed certificate is trusted as it is); the
     * client must send EHLO again. Returns the server's reply to STARTTLS.
     */
    public Reply startTls() {
        Reply reply = send("STARTTLS");
        if (reply.code() != 220) {
            return reply;
        }
        try {
            SSLSocket tls =
                    (SSLSocket) SelfSignedTls.socketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
            tls.setUseClientMode(true);
            tls.startHandshake();
            tls.setSoTimeout(READ_TIMEOUT_MILLIS);
            useSocket(tls);
            return reply;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the session runs over TLS (after {@link #startTls()}). */
    public boolean isTls() {
        return socket instanceof SSLSocket;
    }

    /** AUTH PLAIN with an initial response; returns the server's reply (235 on success). */
    public Reply authPlain(String user, String password) {
        String credentials = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(UTF_8));
        return send("AUTH PLAIN " + credentials);
    }

    /** Sends one command line and reads its reply. */
    public Reply send(String command) {
        write(command + "\r\n");
        return readReply();
    }

    /** Sends raw bytes as they are (no CRLF added) without reading a reply. */
    public void write(String raw) {
        try {
            out.write(raw.getBytes(UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a message body after a 354 and reads the final reply (dot-stuffing done here). */
    public Reply data(String message) {
        Reply ready = send("DATA");
        if (ready.code() != 354) {
            return ready;
        }
        StringBuilder body = new StringBuilder();
        for (String line : message.split("\r?\n", -1)) {
            body.append(line.startsWith(".") ? "." + line : line).append("\r\n");
        }
        write(body.append(".\r\n").toString());
        return readReply();
    }

    /** MAIL, one RCPT per recipient, DATA: the reply of the first command that failed, or DATA's. */
    public Reply sendMail(String from, List<String> recipients, String message) {
        Reply reply = send("MAIL FROM:<" + from + ">");
        if (reply.code() != 250) {
            return reply;
        }
        for (String recipient : recipients) {
            reply = send("RCPT TO:<" + recipient + ">");
            if (reply.code() != 250) {
                return reply;
            }
        }
        return data(message);
    }

    public Reply readReply() {
        try {
            List<String> lines = new ArrayList<>();
            String line;
            do {
                line = in.readLine();
                if (line == null) {
                    return Reply.closed(lines);
                }
                lines.add(line);
            } while (line.length() > 3 && line.charAt(3) == '-');
            return Reply.of(lines);
        } catch (SocketTimeoutException e) {
            throw new IllegalStateException("No reply within " + READ_TIMEOUT_MILLIS + " ms", e);
        } catch (IOException e) {
            return Reply.closed(List.of());
        }
    }

    /** True when the server has closed the connection (end of stream or reset). */
    public boolean isClosedByServer() {
        try {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Vanishes without QUIT: the socket is reset (RST), as a crashed or hostile client leaves. */
    public void abort() {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One SMTP reply: its code and its lines as received; {@code closed} when the server hung up instead. */
    public record Reply(int code, List<String> lines, boolean closed) {
        static Reply of(List<String> lines) {
            String last = lines.get(lines.size() - 1);
            return new Reply(Integer.parseInt(last.substring(0, 3)), List.copyOf(lines), false);
        }

        static Reply closed(List<String> partial) {
            return new Reply(-1, List.copyOf(partial), true);
        }

        /** The last line, e.g. "250 2.1.0 Sender OK". */
        public String line() {
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }

        @Override
        public String toString() {
            return closed ? "(connection closed) " + lines : String.join(" | ", lines);
        }
    }
}
