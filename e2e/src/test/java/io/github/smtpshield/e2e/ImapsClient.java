package io.github.smtpshield.e2e;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;

/**
 * Just enough IMAP over TLS to read a delivered message back: the test server's certificate is the
 * self-signed one bin/smtp-shield generates, so it is trusted as it is. A literal ({@code {N}}) is read as exactly
 * N octets, so a message's text can never be taken for the end of the answer.
 */
public final class ImapsClient implements AutoCloseable {
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)}$");
    private static final Pattern FLAGS = Pattern.compile("FLAGS \\(([^)]*)\\)");

    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private int tag;

    private ImapsClient(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        readLine(); // greeting
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

    /** The text of message number {@code n} of INBOX: the literal of the FETCH answer; fails if it has none. */
    public String fetch(int n) {
        command("EXAMINE INBOX");
        Answer answer = exchange("FETCH " + n + " BODY.PEEK[]");
        if (answer.literal() == null) {
            throw new IllegalStateException("FETCH " + n + " answered without the message: " + answer.text());
        }
        return answer.literal();
    }

    /** Adds flags to message number {@code n} of INBOX, such as {@code \\Flagged}. */
    public void addFlags(int n, String flags) {
        command("SELECT INBOX");
        command("STORE " + n + " +FLAGS (" + flags + ")");
    }

    /** The flags of message number {@code n} of INBOX, as the server lists them. */
    public List<String> flags(int n) {
        command("EXAMINE INBOX");
        String answer = command("FETCH " + n + " (FLAGS)");
        Matcher flags = FLAGS.matcher(answer);
        if (!flags.find()) {
            throw new IllegalStateException("No FLAGS in " + answer);
        }
        return List.of(flags.group(1).split(" "));
    }

    /** The value of one header of every message of INBOX, in order (empty for an empty INBOX). */
    public List<String> header(String name) {
        if (inboxSize() == 0) {
            return List.of();
        }
        String answer = command("FETCH 1:* (BODY.PEEK[HEADER.FIELDS (" + name + ")])");
        String prefix = name.toLowerCase(Locale.ROOT) + ":";
        return answer.lines()
                .filter(line -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
                .map(line -> line.substring(prefix.length()).trim())
                .toList();
    }

    private String command(String command) {
        return exchange(command).text();
    }

    /** What the server answered a command: the whole text as sent, and the first literal in it (or null). */
    private record Answer(String text, String literal) {}

    /** Sends one command; reads its answer up to and including the tagged OK, or fails on NO/BAD. */
    private Answer exchange(String command) {
        try {
            tag++;
            String id = "a" + tag;
            out.write((id + " " + command + "\r\n").getBytes(UTF_8));
            out.flush();
            StringBuilder text = new StringBuilder();
            String firstLiteral = null;
            while (true) {
                String line = readLine();
                text.append(line).append("\r\n");
                Matcher size = LITERAL.matcher(line);
                if (size.find()) {
                    String literal = new String(in.readNBytes(Integer.parseInt(size.group(1))), UTF_8);
                    text.append(literal);
                    firstLiteral = firstLiteral == null ? literal : firstLiteral;
                } else if (line.startsWith(id + " ")) {
                    if (!line.startsWith(id + " OK")) {
                        throw new IllegalStateException(command + " failed: " + line);
                    }
                    return new Answer(text.toString(), firstLiteral);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line without its CRLF; fails if the server closes the connection first. */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("The IMAP server closed the connection");
            }
            line.write(b);
        }
        String text = line.toString(US_ASCII);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
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
