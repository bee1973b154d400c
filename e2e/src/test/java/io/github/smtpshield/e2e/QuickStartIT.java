package io.github.smtpshield.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.smtpshield.testing.FreePorts;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quick start, run as it is written: its {@code ./run} from the repository's root, then the commands of
 * its "Try it" block, then the message its comment asks for, sent and read back over IMAPS. The one change is the
 * ports: the README's are the defaults (8000, 2525, 9930), the test's are free ones, given through the environment
 * variables the README names. Then an operator's edit of {@code local/conf} and their data in {@code local/var} must
 * survive a new build being installed.
 */
class QuickStartIT {
    private static final Pattern SH_BLOCK = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);
    private static final Duration START = Duration.ofMinutes(2);

    @TempDir
    Path temp;

    private final Map<String, String> environment = new LinkedHashMap<>();
    private Process server;

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(90, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theQuickStartWorksAsWrittenAndARebuildKeepsTheOperatorsConfAndData() throws Exception {
        assumeTrue(
                onPath("curl"),
                "QuickStartIT skipped: the README's Try-it commands need curl (Debian: apt-get install curl)");
        Path root = ShieldServer.distribution().resolve("../../..").normalize();
        String quickStart = section(Files.readString(root.resolve("README.md"), UTF_8), "## Quick start");
        List<String> blocks = shellBlocks(quickStart);
        assertThat(blocks).as("the quick start's sh blocks").hasSizeGreaterThanOrEqualTo(2);
        assertThat(blocks.get(0).strip()).isEqualTo("./run");
        assertThat(quickStart).contains("local/conf/", "local/logs/james.log", "local/logs/security.log");

        for (String name : ShieldServer.PORT_VARIABLES) {
            environment.put(name, String.valueOf(FreePorts.take()));
        }
        Path home = temp.resolve("local");
        environment.put("SMTP_SHIELD_HOME", home.toString());
        environment.put("JAVA_OPTS", "-Xms128m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");

        Path output = temp.resolve("run.log");
        server = command(root, output, root.resolve("run").toString()).start();
        Awaitility.await("./run to greet on SMTP port " + port("SMTP_PORT"))
                .atMost(START)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    assertThat(server.isAlive())
                            .as("./run is running; it printed:%n%s", read(output))
                            .isTrue();
                    return read(output).contains("JAMES server started") && greets(port("SMTP_PORT"));
                });
        assertThat(read(output))
                .as("the distribution was built before the test: ./run only installs it")
                .doesNotContain("run: building")
                .contains("run: installed in " + home);

        for (String line : blocks.get(1).lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String asRun = line.replace("127.0.0.1:8000/", "127.0.0.1:" + port("WEBADMIN_PORT") + "/");
            assertThat(asRun)
                    .as("a Try-it command with the test's WebAdmin port")
                    .isNotEqualTo(line);
            Path printed = temp.resolve("curl.log");
            // What curl prints on its standard output: James's answer (its progress meter goes to stderr).
            Process curl = command(root, printed, "sh", "-c", asRun)
                    .redirectErrorStream(false)
                    .redirectError(temp.resolve("curl.err").toFile())
                    .start();
            assertThat(curl.waitFor(60, TimeUnit.SECONDS)).as(line).isTrue();
            assertThat(curl.exitValue())
                    .as("%s printed %s", line, read(printed))
                    .isZero();
            assertThat(read(printed))
                    .as(line + " printed nothing (James's errors are JSON)")
                    .isEmpty();
        }
        WebAdminClient webAdmin = new WebAdminClient(port("WEBADMIN_PORT"));
        HttpResponse<String> users = webAdmin.get("/users");
        assertThat(users.body()).as("the user the Try-it block made").contains("alice@example.test");

        try (SmtpClient smtp = SmtpClient.connect(port("SMTP_PORT"))) {
            assertThat(smtp.send("EHLO quick.start.test").code()).isEqualTo(250);
            SmtpClient.Reply sent = smtp.sendMail(
                    "bob@sender.test", List.of("alice@example.test"), "Subject: quick start\r\n\r\nIt works.");
            assertThat(sent.code()).as(sent.toString()).isEqualTo(250);
        }
        Awaitility.await("alice's message on IMAPS port " + port("IMAPS_PORT"))
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> {
                    try (ImapsClient imaps = ImapsClient.login(port("IMAPS_PORT"), "alice@example.test", "secret")) {
                        return imaps.inboxSize() == 1 && imaps.fetch(1).contains("It works.");
                    }
                });
        assertThat(home.resolve("logs/james.log")).content(UTF_8).contains("JAMES server started");
        assertThat(home.resolve("logs/security.log")).exists();

        server.destroy();
        assertThat(server.waitFor(90, TimeUnit.SECONDS))
                .as("./run stops on SIGTERM")
                .isTrue();
        server = null;

        // The operator's edits and data, then a new build (a program newer than the install): ./run installs it.
        Path policy = home.resolve("conf/smtpshield.xml");
        String edited = Files.readString(policy, UTF_8) + "<!-- the operator's edit -->\n";
        Files.writeString(policy, edited, UTF_8);
        Path data = Files.writeString(home.resolve("var/operator-data"), "kept");
        Files.setLastModifiedTime(home.resolve(".installed"), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        Path audit = temp.resolve("audit.log");
        Process rebuilt =
                command(root, audit, root.resolve("run").toString(), "audit").start();
        assertThat(rebuilt.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(read(audit)).contains("run: installed in " + home).contains(policy + " is yours and is kept");
        assertThat(rebuilt.exitValue()).as(read(audit)).isZero();
        assertThat(policy).content(UTF_8).isEqualTo(edited);
        assertThat(data).content(UTF_8).isEqualTo("kept");
        assertThat(home.resolve("logs/james.log")).content(UTF_8).contains("JAMES server started");
    }

    private ProcessBuilder command(Path root, Path output, String... command) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        return builder;
    }

    private int port(String name) {
        return Integer.parseInt(environment.get(name));
    }

    private static boolean greets(int port) {
        try (SmtpClient smtp = SmtpClient.connect(port)) {
            return smtp.greeting().code() == 220;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(folder -> !folder.isEmpty() && Files.isExecutable(Path.of(folder, program)));
    }

    /** From a heading to the next heading of the same level. */
    private static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading + "\n");
        assertThat(start).as("README heading " + heading).isNotNegative();
        int end = markdown.indexOf("\n## ", start + heading.length() + 1);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    private static List<String> shellBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher block = SH_BLOCK.matcher(markdown);
        while (block.find()) {
            blocks.add(block.group(1));
        }
        return blocks;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
