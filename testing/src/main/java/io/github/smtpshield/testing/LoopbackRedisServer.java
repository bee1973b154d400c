package io.github.smtpshield.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away {@code redis-server} (Debian's package, {@code /usr/bin/redis-server}; another with
 * {@code -Dsmtpshield.redisServer=PATH}) on 127.0.0.1 and a free port, with no persistence, for the tests of the
 * Redis store. {@link #stop} and {@link #start} again on the same port play a Redis outage and its end.
 *
 * <pre>{@code
 * try (LoopbackRedisServer redis = LoopbackRedisServer.start()) {
 *     // redis.uri() is redis://127.0.0.1:<port>
 * }
 * }</pre>
 */
public final class LoopbackRedisServer implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final int port;
    private final Path log;
    private Process process;

    private LoopbackRedisServer(int port) throws IOException {
        this.port = port;
        this.log = Files.createTempFile("redis-server-" + port + "-", ".log");
    }

    /** A new server on a free port, answering PING when this returns. */
    public static LoopbackRedisServer start() {
        try {
            LoopbackRedisServer server = new LoopbackRedisServer(freePort());
            server.restart();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String executable() {
        return System.getProperty("smtpshield.redisServer", "/usr/bin/redis-server");
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>} */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the (stopped) server again on its port, empty, and waits until it answers PING. */
    public synchronized LoopbackRedisServer restart() {
        if (isRunning()) {
            throw new IllegalStateException("redis-server already runs on port " + port);
        }
        try {
            process = new ProcessBuilder(List.of(executable(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + executable() + " (Debian package redis-server)", e);
        }
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!answersPing()) {
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                String output = readLog();
                stop();
                throw new IllegalStateException("redis-server did not answer on port " + port + ":\n" + output);
            }
            pause();
        }
        return this;
    }

    /** Stops the server (SIGTERM, then SIGKILL if it lingers): clients now find the port closed. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        try {
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process = null;
        }
    }

    /** Sends one inline command (e.g. {@code FLUSHALL}, {@code DBSIZE}) and returns the first reply line. */
    public String command(String inline) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write((inline + "\r\n").getBytes(UTF_8));
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a stray log file in the temporary directory is harmless
        }
    }

    private boolean answersPing() {
        try {
            return command("PING").equals("+PONG");
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    private String readLog() {
        try {
            return Files.readString(log, UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
