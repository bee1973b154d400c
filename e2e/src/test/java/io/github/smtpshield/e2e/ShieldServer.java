package io.github.smtpshield.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.github.smtpshield.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The packaged distribution ({@code distribution/target/smtp-shield}) run as a separate process, the way an
 * administrator runs it: {@code bin/smtp-shield} in a copy of the folder (so each test has its own conf, logs and
 * var, and relocation is exercised), on free ports, waited for until SMTP answers.
 */
public final class ShieldServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);
    /** The launcher's port variables (README, "Ports it binds"). */
    static final List<String> PORT_VARIABLES = List.of(
            "SMTP_PORT", "SMTPS_PORT", "SUBMISSION_PORT", "IMAP_PORT", "IMAPS_PORT", "WEBADMIN_PORT", "JMX_PORT");

    private final Path home;
    private final Map<String, Integer> ports = new HashMap<>();
    private final Map<String, String> environment = new HashMap<>();
    private Process process;

    private ShieldServer(Path home) {
        this.home = home;
    }

    private void choosePorts() {
        for (String name : PORT_VARIABLES) {
            ports.put(name, FreePorts.take());
        }
    }

    /** The exploded distribution built by {@code ./mvnw package}. */
    public static Path distribution() {
        Path dist = Paths.get(System.getProperty("smtpshield.dist", "../distribution/target/smtp-shield"))
                .toAbsolutePath()
                .normalize();
        if (!Files.isDirectory(dist.resolve("lib"))) {
            throw new IllegalStateException(
                    "No packaged distribution at " + dist + ": run ./mvnw -B verify (or package) first");
        }
        return dist;
    }

    /** A fresh copy of the distribution, not started yet: edit its conf, then {@link #start()}. */
    public static ShieldServer prepare() {
        try {
            Path home = Files.createTempDirectory("smtp-shield-e2e-");
            Path dist = distribution();
            copyTree(dist.resolve("bin"), home.resolve("bin"));
            copyTree(dist.resolve("conf"), home.resolve("conf"));
            copyTree(dist.resolve("extensions-jars"), home.resolve("extensions-jars"));
            // 120 MB of James jars, and the command line's: shared, read-only.
            Files.createSymbolicLink(home.resolve("lib"), dist.resolve("lib"));
            Files.createSymbolicLink(home.resolve("cli-jars"), dist.resolve("cli-jars"));
            home.resolve("bin/smtp-shield").toFile().setExecutable(true);
            ShieldServer server = new ShieldServer(home);
            server.choosePorts();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path home() {
        return home;
    }

    public Path conf(String file) {
        return home.resolve("conf").resolve(file);
    }

    /** Replaces a whole conf file. */
    public ShieldServer writeConf(String file, String content) {
        try {
            Files.writeString(conf(file), content, UTF_8);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Edits a conf file; the edit must change it (a silent no-op would hide a broken test). */
    public ShieldServer editConf(String file, UnaryOperator<String> edit) {
        try {
            String before = Files.readString(conf(file), UTF_8);
            String after = edit.apply(before);
            if (after.equals(before)) {
                throw new IllegalArgumentException("The edit of " + file + " changed nothing");
            }
            Files.writeString(conf(file), after, UTF_8);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An environment variable for the launcher (server and commands), such as {@code WEBADMIN_JWT=true}. */
    public ShieldServer environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public int port(String name) {
        return ports.get(name);
    }

    public int smtpPort() {
        return port("SMTP_PORT");
    }

    public int smtpsPort() {
        return port("SMTPS_PORT");
    }

    public int submissionPort() {
        return port("SUBMISSION_PORT");
    }

    public int imapsPort() {
        return port("IMAPS_PORT");
    }

    public WebAdminClient webAdmin() {
        return new WebAdminClient(port("WEBADMIN_PORT"));
    }

    /** WebAdmin with {@code Authorization: Bearer <token>} on every request. */
    public WebAdminClient webAdmin(String token) {
        return new WebAdminClient(port("WEBADMIN_PORT"), token);
    }

    /** Starts the server and waits until James says it started and its SMTP listener answers 220. */
    public ShieldServer start() {
        for (int attempt = 1; ; attempt++) {
            launch();
            try {
                Awaitility.await("the packaged server to answer SMTP on port " + smtpPort())
                        .atMost(START_TIMEOUT)
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> {
                            if (!process.isAlive()) {
                                throw new IllegalStateException("The server exited with status " + process.exitValue()
                                        + ":\n" + tail(output(), 60));
                            }
                            // James binds its listeners before it has finished starting (and registered its shutdown
                            // hook).
                            return output().contains("JAMES server started") && smtpAnswers();
                        });
                return this;
            } catch (ConditionTimeoutException e) {
                throw new IllegalStateException(
                        "The server did not answer in " + START_TIMEOUT + ":\n" + tail(output(), 60), e);
            } catch (IllegalStateException e) {
                // Another process took one of the ports between our check and James's bind: new ports, once more.
                if (attempt >= 3 || !output().contains("java.net.BindException")) {
                    throw e;
                }
                process = null;
                choosePorts();
            }
        }
    }

    /** What a command of the launcher printed (stdout and stderr) and its exit status. */
    public record CommandResult(int exitStatus, String output) {}

    /**
     * Runs {@code bin/smtp-shield} with these arguments (for example {@code audit}) to its end, with this server's
     * ports in its environment; the server is not started.
     */
    public CommandResult runLauncher(String... args) {
        try {
            List<String> command =
                    new ArrayList<>(List.of(home.resolve("bin/smtp-shield").toString()));
            command.addAll(List.of(args));
            Path output = Files.createTempFile(home, "launcher-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            ports.forEach((name, port) -> builder.environment().put(name, String.valueOf(port)));
            builder.environment().putAll(environment);
            Process launcher = builder.start();
            if (!launcher.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                launcher.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not end within " + START_TIMEOUT);
            }
            return new CommandResult(launcher.exitValue(), read(output));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts the server expecting it to refuse to start; returns its exit status. */
    public int startExpectingFailure() {
        launch();
        try {
            if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException(
                        "The server should have refused to start, but it runs:\n" + tail(output(), 40));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void launch() {
        if (process != null) {
            throw new IllegalStateException("Already started");
        }
        try {
            ProcessBuilder builder = new ProcessBuilder(
                            home.resolve("bin/smtp-shield").toString())
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolve("output.log").toFile());
            ports.forEach((name, port) -> builder.environment().put(name, String.valueOf(port)));
            builder.environment().put("JAVA_OPTS", "-Xms128m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops the server as an administrator would (SIGTERM) and waits for it; returns its exit status
     * (143 after a clean SIGTERM stop), or null when it was not running.
     */
    public Integer stop() {
        if (process == null) {
            return null;
        }
        try {
            process.destroy();
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            return process.isAlive() ? null : process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process = null;
        }
    }

    /** kill -9: no shutdown hook runs. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** The server's process id (the launcher execs the JVM, so it is James's), for {@code jcmd}. */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException("Not started");
        }
        return process.pid();
    }

    /** Runs {@code jcmd <pid> <command...>} against the running server (e.g. {@code GC.run}) and returns what it printed. */
    public String jcmd(String... command) {
        try {
            List<String> line = new ArrayList<>(List.of(
                    Paths.get(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(pid())));
            line.addAll(List.of(command));
            Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
            byte[] printed = jcmd.getInputStream().readAllBytes();
            if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", line) + " failed:\n" + new String(printed, UTF_8));
            }
            return new String(printed, UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Everything the server printed (stdout and stderr). */
    public String output() {
        return read(home.resolve("output.log"));
    }

    public String securityLog() {
        return read(home.resolve("logs/security.log"));
    }

    public String jamesLog() {
        return read(home.resolve("logs/james.log"));
    }

    @Override
    public void close() {
        stop();
        deleteTree(home);
    }

    private boolean smtpAnswers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", smtpPort()), 1000);
            socket.setSoTimeout(5000);
            byte[] greeting = new byte[3];
            return socket.getInputStream().readNBytes(greeting, 0, 3) == 3 && new String(greeting, UTF_8).equals("220");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A port free now, below Linux's ephemeral range (32768-60999): a port the kernel hands out for port 0 can be
     * taken by any outgoing connection before the server binds it.
     */
    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file)), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            List<Path> all = new ArrayList<>(paths.toList());
            Collections.reverse(all);
            for (Path path : all) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
