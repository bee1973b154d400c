package io.github.smtpshield.e2e.robustness;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Plays a {@link HostileSession} over a real socket from a chosen loopback source address. The replies are read
 * by a second thread all along (a client that pipelines never blocks on a full socket buffer) and returned whole,
 * with how the session ended, for the test's checks.
 */
final class HostileClient {
    /** The longest the server may take to close a session after the polite end. */
    static final int CLOSE_TIMEOUT_MILLIS = 30_000;

    private final int port;
    private final ExecutorService readers;

    /** @param readers runs one reader per session being played: at least as many threads as sessions at once */
    HostileClient(int port, ExecutorService readers) {
        this.port = port;
        this.readers = readers;
    }

    /** What the client saw. */
    record Outcome(
            HostileSession session,
            String source,
            String replies,
            boolean closedByServer,
            String problem,
            long millis) {
        List<String> replyLines() {
            List<String> lines = new ArrayList<>();
            for (String line : replies.split("\r\n", -1)) {
                if (!line.isEmpty()) {
                    lines.add(line);
                }
            }
            return lines;
        }
    }

    Outcome play(HostileSession session, String source) throws InterruptedException {
        long started = System.nanoTime();
        Outcome outcome = playTimed(session, source);
        return new Outcome(
                outcome.session(),
                source,
                outcome.replies(),
                outcome.closedByServer(),
                outcome.problem(),
                (System.nanoTime() - started) / 1_000_000);
    }

    private Outcome playTimed(HostileSession session, String source) throws InterruptedException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(CLOSE_TIMEOUT_MILLIS);
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            Future<?> replies = readers.submit(() -> readToEnd(in, received));
            OutputStream out = socket.getOutputStream();
            boolean writable = write(out, session.bursts());
            switch (session.ending()) {
                case QUIT -> {
                    if (writable) {
                        write(out, List.of(HostileSession.POLITE_END));
                    }
                    try {
                        replies.get(CLOSE_TIMEOUT_MILLIS + 5_000L, TimeUnit.MILLISECONDS);
                        return new Outcome(session, source, text(received), true, null, 0);
                    } catch (TimeoutException e) {
                        replies.cancel(true);
                        return new Outcome(
                                session,
                                source,
                                text(received),
                                false,
                                "the server did not close the session within " + CLOSE_TIMEOUT_MILLIS + " ms of QUIT",
                                0);
                    }
                }
                case CLOSE -> socket.close();
                case RESET -> {
                    socket.setSoLinger(true, 0);
                    socket.close();
                }
                default -> throw new IllegalStateException();
            }
            replies.get(CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            return new Outcome(session, source, text(received), false, null, 0);
        } catch (IOException | ExecutionException | TimeoutException e) {
            return new Outcome(session, source, "", false, "client error: " + e, 0);
        }
    }

    /** Writes the bursts; false once the server has closed (a 421 or a 500 on a 64 KB line closes the session). */
    private static boolean write(OutputStream out, List<byte[]> bursts) {
        try {
            for (byte[] burst : bursts) {
                out.write(burst);
                out.flush();
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Everything the server sends until it closes, or until this client closes or resets its own socket. */
    private static String text(ByteArrayOutputStream received) {
        synchronized (received) {
            return received.toString(ISO_8859_1);
        }
    }

    private static void readToEnd(InputStream in, ByteArrayOutputStream received) {
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (received) {
                    received.write(buffer, 0, n);
                }
            }
        } catch (SocketTimeoutException e) {
            synchronized (received) {
                received.writeBytes("\r\n(read timed out)".getBytes(ISO_8859_1));
            }
        } catch (IOException e) {
            // reset by either side, or closed here: what arrived is the answer
        }
    }
}
