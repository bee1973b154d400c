package io.github.smtpshield.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code smtp-shield audit [conf-dir]} as bin/smtp-shield runs it, without exiting the JVM. */
class AuditCommandTest {
    @TempDir
    Path conf;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void copyTheShippedConf() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("../conf"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, conf.resolve(file.getFileName()));
            }
        }
    }

    private int run(String... args) {
        CommandLine command = SmtpShieldCommand.commandLine();
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        return command.execute(args);
    }

    @Test
    void theCommandExitsZeroOneOrTwo() throws Exception {
        assertThat(run("audit", conf.toString())).isZero();
        assertThat(out.toString()).contains("OK   open relay").doesNotContain("FAIL");

        Path webAdmin = conf.resolve("webadmin.properties");
        Files.writeString(webAdmin, Files.readString(webAdmin).replace("host=localhost", "host=0.0.0.0"));
        assertThat(run("audit", conf.toString())).isEqualTo(1);

        assertThat(run("audit", conf.resolve("nothing-here").toString())).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("smtp-shield audit: " + conf.resolve("nothing-here") + ": not a readable folder"
                        + System.lineSeparator());
    }

    @Test
    void noCommandOrAnUnknownOneIsBadUsage() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("nonsense")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing the command").contains("Unmatched argument");
    }
}
