package io.github.smtpshield.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The console commands' side of the line: where they look for WebAdmin and its token, their tables, their refusal of
 * what is not an address, and exit status 2 with one line when nothing answers (the commands against a real server
 * are tested end to end, in e2e/).
 */
class WebAdminCommandTest {
    @TempDir
    Path conf;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine command = SmtpShieldCommand.commandLine();
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        return command.execute(args);
    }

    private WebAdminOptions options(String... args) {
        WebAdminOptions options = new WebAdminOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    @Test
    void thePortHostAndTokenComeFromTheConfUnlessFlagsSayOtherwise() throws Exception {
        assertThat(options("--conf", conf.toString()).baseUrl()).isEqualTo(URI.create("http://localhost:8000"));
        assertThat(options("--conf", conf.toString()).bearer()).isEmpty();

        Files.writeString(
                conf.resolve("webadmin.properties"), "enabled=true\nport=${sys:console.test.port}\nhost=0.0.0.0\n");
        Files.writeString(conf.resolve("webadmin.jwt"), "  eyJ.token.sig \n");
        System.setProperty("console.test.port", "8123");
        try {
            assertThat(options("--conf", conf.toString()).baseUrl()).isEqualTo(URI.create("http://localhost:8123"));
        } finally {
            System.clearProperty("console.test.port");
        }
        // Outside the launcher the placeholder stays unresolved: the launcher's default port.
        assertThat(options("--conf", conf.toString()).baseUrl()).isEqualTo(URI.create("http://localhost:8000"));
        assertThat(options("--conf", conf.toString()).bearer()).contains("eyJ.token.sig");

        Files.writeString(conf.resolve("webadmin.properties"), "port=9443\nhost=::1\nhttps.enabled=true\n");
        assertThat(options("--conf", conf.toString()).baseUrl()).isEqualTo(URI.create("https://[::1]:9443"));
        assertThat(options("--conf", conf.toString(), "--url", "http://127.0.0.1:9000/", "--token", "other")
                        .baseUrl())
                .isEqualTo(URI.create("http://127.0.0.1:9000"));
        assertThat(options("--conf", conf.toString(), "--token", "other").bearer())
                .contains("other");
    }

    @Test
    void nothingListeningExitsTwoWithOneLine() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        assertThat(run("blocks", "--url", "http://127.0.0.1:" + port)).isEqualTo(2);
        assertThat(err.toString())
                .startsWith("smtp-shield blocks: cannot reach WebAdmin at http://127.0.0.1:" + port
                        + ": connection refused")
                .hasLineCount(1);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void whatIsNotAnAddressNeverReachesTheUrl() {
        assertThat(run("unblock", "--url", "http://127.0.0.1:1", "../../users/alice"))
                .isEqualTo(1);
        assertThat(err.toString()).startsWith("smtp-shield unblock: ").hasLineCount(1);
        assertThat(WebAdminCommand.ipSegment("203.0.113.0/24")).isEqualTo("203.0.113.0%2F24");
        assertThat(WebAdminCommand.ipSegment("2001:db8::1")).isEqualTo("2001:db8::1");
    }

    @Test
    void aTablePadsItsColumnsAndRightAlignsTheNumbers() {
        StringWriter printed = new StringWriter();
        new Table("RULE", "STATE", "REFUSED#")
                .row("maxUnknownRecipients", "on", 12)
                .row("store", null, 3)
                .print(new PrintWriter(printed, true));

        assertThat(printed.toString().lines())
                .containsExactly(
                        "RULE                  STATE  REFUSED",
                        "maxUnknownRecipients  on          12",
                        "store                 -            3");
    }
}
