package io.github.smtpshield.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away {@code redis-server} (which one: {@link RedisExecutable}) on 127.0.0.1 and a free port, with no
 * persistence, for the tests of the Redis store. {@link #stop} and {@link #restart} on the same port play a Redis
 * outage and its end. {@link #call} sends one command and reads its whole reply; {@link LoopbackRedisCluster} runs
 * three of them as a Redis Cluster.
 *
 * <pre>{@code
 * try (LoopbackRedisServer redis = LoopbackRedisServer.start()) {
 *     // redis.uri() is redis://127.0.0.1:<port>
 * }
 * }</pre>
 */
public final class LoopbackRedisServer implements LoopbackRedis {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final int port;
    private final Path log;
    private final List<String> options;
    private Process process;

    private LoopbackRedisServer(int port, List<String> options) throws IOException {
        this.port = port;
        this.options = List.copyOf(options);
        this.log = Files.createTempFile("redis-server-" + port + "-", ".log");
    }

    /** A new server on a free port, answering PING when this returns. */
    public static LoopbackRedisServer start() {
        return start(FreePorts.take(), List.of());
    }

    /** A new server on {@code port} with more {@code redis-server} options (a cluster node's), answering PING. */
    static LoopbackRedisServer start(int port, List<String> options) {
        try {
            LoopbackRedisServer server = new LoopbackRedisServer(port, options);
            try {
                server.restart();
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>} */
    @Override
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public boolean cluster() {
        return false;
    }

    @Override
    public void flushAll() {
        call("FLUSHALL");
    }

    @Override
    public long keyCount() {
        return (Long) call("DBSIZE");
    }

    @Override
    public Map<String, Long> keyTtls() {
        Map<String, Long> ttls = new LinkedHashMap<>();
        for (Object key : (List<?>) call("KEYS", "*")) {
            ttls.put((String) key, (Long) call("PTTL", (String) key));
        }
        return ttls;
    }

    @Override
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the (stopped) server again on its port, empty, and waits until it answers PING. */
    @Override
    public synchronized LoopbackRedisServer restart() {
        if (isRunning()) {
            throw new IllegalStateException("redis-server already runs on port " + port);
        }
        RedisExecutable executable = RedisExecutable.get();
        List<String> command = new ArrayList<>(List.of(
                executable.path().toString(),
                "--port",
                String.valueOf(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "no",
                "--daemonize",
                "no"));
        command.addAll(options);
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + executable, e);
        }
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!answersPing()) {
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                String output = read(log);
                stop();
                throw new IllegalStateException(executable + " did not answer on port " + port + ":\n" + output);
            }
            pause();
        }
        return this;
    }

    /** Stops the server (SIGTERM, then SIGKILL if it lingers): clients now find the port closed. */
    @Override
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

    /**
     * Sends one command (each argument a bulk string) and returns its reply: a String (status or bulk; null for a
     * nil bulk), a Long, or a List of them. An error reply throws {@link IllegalStateException}.
     */
    public Object call(String... args) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(5000);
            StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
            for (String arg : args) {
                request.append('$')
                        .append(arg.getBytes(UTF_8).length)
                        .append("\r\n")
                        .append(arg)
                        .append("\r\n");
            }
            socket.getOutputStream().write(request.toString().getBytes(UTF_8));
            return reply(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Object reply(InputStream in) throws IOException {
        String line = line(in);
        String rest = line.substring(1);
        return switch (line.charAt(0)) {
            case '+' -> rest;
            case '-' -> throw new IllegalStateException("redis-server on port " + port + ": " + rest);
            case ':' -> Long.parseLong(rest);
            case '$' -> bulkString(in, Integer.parseInt(rest));
            case '*' -> array(in, Integer.parseInt(rest));
            default -> throw new IOException("not a RESP reply: " + line);
        };
    }

    private static String bulkString(InputStream in, int length) throws IOException {
        if (length < 0) {
            return null;
        }
        byte[] bytes = in.readNBytes(length + 2);
        return new String(bytes, 0, length, UTF_8);
    }

    private List<Object> array(InputStream in, int count) throws IOException {
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(reply(in));
        }
        return items;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c == -1) {
                throw new IOException("connection closed in a reply");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
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
            return "PONG".equals(call("PING"));
        } catch (UncheckedIOException | IllegalStateException e) {
            return false;
        }
    }

    /** What the server printed so far. */
    String output() {
        return read(log);
    }

    /** A process's output file, for an error message: its text, or why there is none. */
    static String read(Path file) {
        try {
            return Files.readString(file, UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** The interval of this package's polling waits (a process to answer, a cluster to form). */
    static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
