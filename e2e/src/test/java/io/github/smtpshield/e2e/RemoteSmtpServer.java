package io.github.smtpshield.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.smtpshield.testing.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real remote SMTP server on loopback for James's RemoteDelivery to talk to: Debian's aiosmtpd
 * ({@code python3-aiosmtpd}) running {@code remote_smtp_server.py}, with STARTTLS (a throw-away self-signed
 * certificate made with {@code openssl}) or without. It accepts everything and records every EHLO, MAIL, RCPT and
 * DATA with whether the session was encrypted at that moment.
 */
public final class RemoteSmtpServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final int port;
    private final Process process;

    private RemoteSmtpServer(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** A server that offers STARTTLS. */
    public static RemoteSmtpServer withStartTls() {
        return start(true);
    }

    /** A server that offers no STARTTLS: everything sent to it is in clear. */
    public static RemoteSmtpServer withoutStartTls() {
        return start(false);
    }

    private static RemoteSmtpServer start(boolean startTls) {
        try {
            Path dir = Files.createTempDirectory("remote-smtp-");
            Path script = dir.resolve("remote_smtp_server.py");
            try (InputStream in = RemoteSmtpServer.class.getResourceAsStream("/remote_smtp_server.py")) {
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
            int port = FreePorts.take();
            List<String> command = new ArrayList<>(List.of(
                    python(),
                    script.toString(),
                    String.valueOf(port),
                    dir.resolve("events.jsonl").toString()));
            if (startTls) {
                run(
                        dir,
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-keyout",
                        "key.pem",
                        "-out",
                        "cert.pem",
                        "-days",
                        "2",
                        "-subj",
                        "/CN=mx.remote.test");
                command.addAll(List.of(
                        dir.resolve("cert.pem").toString(),
                        dir.resolve("key.pem").toString()));
            }
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("output.log").toFile())
                    .start();
            RemoteSmtpServer server = new RemoteSmtpServer(dir, port, process);
            try {
                Awaitility.await("the remote SMTP server (aiosmtpd) to listen")
                        .atMost(START_TIMEOUT)
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> {
                            if (!process.isAlive()) {
                                throw new IllegalStateException("aiosmtpd exited: " + server.output()
                                        + " (CI installs python3-aiosmtpd and openssl: .ci/run)");
                            }
                            return server.output().contains("ready");
                        });
            } catch (ConditionTimeoutException e) {
                server.close();
                throw new IllegalStateException("aiosmtpd did not start: " + server.output(), e);
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Debian's interpreter, which has python3-aiosmtpd (another python3 first on the PATH may not). */
    private static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    private static void run(Path dir, String... command) throws IOException {
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(command[0] + ".log").toFile())
                .start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(
                        String.join(" ", command) + " failed: " + Files.readString(dir.resolve(command[0] + ".log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    /** Every SMTP event so far, in order; a line the server is still writing is left for the next call. */
    public List<JsonNode> events() {
        Path file = dir.resolve("events.jsonl");
        try {
            if (!Files.exists(file)) {
                return List.of();
            }
            String written = Files.readString(file, UTF_8);
            List<JsonNode> events = new ArrayList<>();
            for (String line :
                    written.substring(0, written.lastIndexOf('\n') + 1).split("\n")) {
                if (!line.isBlank()) {
                    events.add(JSON.readTree(line));
                }
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The events of one kind: "EHLO", "MAIL", "RCPT" or "DATA". */
    public List<JsonNode> events(String kind) {
        return events().stream()
                .filter(event -> event.get("event").asText().equals(kind))
                .toList();
    }

    /** The messages received (DATA events). */
    public List<JsonNode> messages() {
        return events("DATA");
    }

    private String output() {
        try {
            Path file = dir.resolve("output.log");
            return Files.exists(file) ? Files.readString(file, UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
