package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The packaged distribution, started as a process: it receives mail for a local user and stops cleanly. */
class DistributionIT {
    private static ShieldServer server;

    @BeforeAll
    static void start() {
        server = ShieldServer.prepare().start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void greetsAndDeliversAMessageToALocalUserThatImapReadsBack() {
        server.webAdmin().createUser("example.test", "alice@example.test", "secret");

        try (SmtpClient smtp = SmtpClient.connect(server.smtpPort())) {
            assertThat(smtp.greeting().line()).startsWith("220 ");
            assertThat(smtp.send("EHLO client.example.test").code()).isEqualTo(250);
            SmtpClient.Reply sent = smtp.sendMail(
                    "bob@sender.test",
                    List.of("alice@example.test"),
                    "Subject: hello from the e2e test\r\n\r\nThe body of the message.");
            assertThat(sent.code()).as(sent.toString()).isEqualTo(250);
            assertThat(smtp.send("QUIT").code()).isEqualTo(221);
        }

        Inbox inbox = Inbox.of(server, "alice@example.test", "secret");
        inbox.awaitSize(1);
        inbox.awaitMessage(
                1,
                text -> assertThat(text)
                        .contains("Subject: hello from the e2e test")
                        .contains("The body of the message."));
    }

    @Test
    void loadsThePolicyAtStartUp() {
        // That the port-25 chain runs the shield's handlers is what PerIpIT and the other rule tests show.
        assertThat(server.jamesLog()).contains("SMTP Shield started");
    }

    @Test
    void extensionsJarsHoldNothingJamesAlreadyShips() throws IOException {
        Path dist = ShieldServer.distribution();
        Set<String> jamesArtifacts = artifactIds(dist.resolve("lib"));
        Set<String> extensionArtifacts = artifactIds(dist.resolve("extensions-jars"));

        assertThat(extensionArtifacts)
                .contains(
                        "smtp-shield-policy",
                        "smtp-shield-audit",
                        "smtp-shield-smtp-hooks",
                        "smtp-shield-mailets",
                        "smtp-shield-webadmin",
                        "caffeine",
                        "smtp-shield-store-redis",
                        "lettuce-core")
                .doesNotContain("smtp-shield-cli", "picocli")
                .doesNotContainAnyElementsOf(jamesArtifacts);
        // The command line (bin/smtp-shield audit ...) has its own folder: James never loads it.
        assertThat(artifactIds(dist.resolve("cli-jars"))).containsExactlyInAnyOrder("smtp-shield-cli", "picocli");
    }

    @Test
    void theTarballHoldsTheWholeRelocatableFolderWithAnExecutableLauncher() throws Exception {
        Path tarball;
        try (Stream<Path> files = Files.list(ShieldServer.distribution().getParent())) {
            tarball = files.filter(file -> file.getFileName().toString().matches("smtp-shield-.*\\.tar\\.gz"))
                    .findFirst()
                    .orElseThrow();
        }
        Process tar = new ProcessBuilder("tar", "-tzvf", tarball.toString())
                .redirectErrorStream(true)
                .start();
        String listing = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor()).isZero();

        assertThat(listing.lines().filter(line -> line.endsWith(" smtp-shield/bin/smtp-shield")))
                .singleElement()
                .asString()
                .startsWith("-rwxr-xr-x");
        assertThat(listing)
                .contains(
                        " smtp-shield/conf/smtpshield.xml",
                        " smtp-shield/conf/smtpserver.xml",
                        " smtp-shield/conf/logback.xml")
                .contains(" smtp-shield/lib/james-server-memory-app-3.8.1.jar")
                .contains(" smtp-shield/extensions-jars/smtp-shield-smtp-hooks-")
                .contains(" smtp-shield/cli-jars/smtp-shield-cli-")
                .contains(" smtp-shield/logs/", " smtp-shield/var/")
                .doesNotContain("conf/keystore");
    }

    /** "caffeine-3.1.8.jar" gives "caffeine". */
    private static Set<String> artifactIds(Path folder) throws IOException {
        try (Stream<Path> jars = Files.list(folder)) {
            return jars.map(jar -> jar.getFileName().toString())
                    .filter(name -> name.endsWith(".jar"))
                    .map(name -> name.replaceFirst("-\\d[^-]*(-SNAPSHOT)?(\\.Final)?(-jre)?\\.jar$", ""))
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void stopsCleanlyOnSigterm() {
        ShieldServer second = ShieldServer.prepare().start();
        try {
            // James disposes each listener gracefully: a clean stop takes some seconds.
            assertThat(second.stop()).isEqualTo(143);
            assertThat(second.output()).contains("JAMES server stopped");
        } finally {
            second.close();
        }
    }
}
