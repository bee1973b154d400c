package io.github.smtpshield.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;

import javax.net.ssl.SSLSocket;

/**
 * Just enough IMAP over TLS to read a delivered message back: the test server's certificate is the
 * self-signed one bin/smtp-shield generates, so it is trusted as it is.
 */
public final class ImapsClient implements AutoCloseable {
    private final SSLSocket socket;
    private final BufferedReader in;
    private final OutputStream out;
    private int tag;

    private ImapsClient(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
        this.out = socket.getOutputStream();
        in.readLine(); // greeting
    }

    public static ImapsClient login(int port, String user, String password) {
        try {
            SSLSocket socket = (SSLSocket) SelfSignedTls.socketFactory().createSocket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            ImapsClient client = new ImapsClient(socket);
            client.command("LOGIN " + user + " " + password);
            return client;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The number of messages in INBOX. */
    public int inboxSize() {
        String select = command("EXAMINE INBOX");
        return select.lines()
            .filter(line -> line.matches("\\* \\d+ EXISTS"))
            .mapToInt(line -> Integer.parseInt(line.split(" ")[1]))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("No EXISTS in " + select));
    }

    /** The whole text of message number {@code n} of INBOX, as the server answers the FETCH. */
    public String fetch(int n) {
        command("EXAMINE INBOX");
        return command("FETCH " + n + " BODY.PEEK[]");
    }

    /** Sends one command; returns every line up to and including the tagged OK, or fails on NO/BAD. */
    private String command(String command) {
        try {
            String id = "a" + (++tag);
            out.write((id + " " + command + "\r\n").getBytes(UTF_8));
            out.flush();
            StringBuilder answer = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null) {
                answer.append(line).append('\n');
                if (line.startsWith(id + " ")) {
                    if (!line.startsWith(id + " OK")) {
                        throw new IllegalStateException(command + " failed: " + line);
                    }
                    return answer.toString();
                }
            }
            throw new IllegalStateException("The IMAP server closed the connection during " + command);
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
}
