package io.github.smtpshield.e2e;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a fresh install exposes to other local users and to the network after its first start: its secrets are its
 * owner's alone, its TLS key has a password of its own, and nothing but the mail listeners listens beyond loopback.
 */
class InstallSecurityIT {
    private static final String PUBLISHED_PASSWORD = "james72laBalle";
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private static ShieldServer server;

    @BeforeAll
    static void start() {
        server = ShieldServer.prepare().start();
        server.webAdmin().createUser("example.test", "alice@example.test", "secret");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theSecretsTheLogsAndVarAreTheOwnersOnly() throws IOException {
        Path home = server.home();
        List<Path> secrets = List.of(
                home.resolve("conf"),
                home.resolve("conf/keystore"),
                home.resolve("conf/keystore.secret"),
                home.resolve("conf/smtpshield.xml"),
                home.resolve("logs"),
                home.resolve("logs/james.log"),
                home.resolve("logs/security.log"),
                home.resolve("var"));
        for (Path path : secrets) {
            assertThat(Files.getPosixFilePermissions(path))
                    .as("permissions of %s", home.relativize(path))
                    .doesNotContainAnyElementsOf(GROUP_OR_OTHERS);
        }
        try (Stream<Path> written = Files.walk(home.resolve("var"))) {
            assertThat(written.filter(path -> !Files.isSymbolicLink(path)))
                    .allSatisfy(path -> assertThat(Files.getPosixFilePermissions(path))
                            .as("permissions of %s", home.relativize(path))
                            .doesNotContainAnyElementsOf(GROUP_OR_OTHERS));
        }
    }

    @Test
    void theKeystoreHasARandomPasswordThatJamesReadsAndNoConfFileHoldsThePublishedOne() throws Exception {
        String secret = Files.readString(server.conf("keystore.secret"), UTF_8).strip();
        assertThat(secret).isNotEqualTo(PUBLISHED_PASSWORD).hasSizeGreaterThanOrEqualTo(32);
        assertThat(load(secret).containsAlias("james")).isTrue();
        assertThatThrownBy(() -> load(PUBLISHED_PASSWORD)).isInstanceOf(IOException.class);
        try (Stream<Path> conf = Files.list(server.home().resolve("conf"))) {
            assertThat(conf.filter(Files::isRegularFile))
                    .allSatisfy(file -> assertThat(new String(Files.readAllBytes(file), ISO_8859_1))
                            .as("%s", file.getFileName())
                            .doesNotContain(PUBLISHED_PASSWORD));
        }

        // TLS still works with it: SMTPS, STARTTLS on submission, IMAPS.
        try (SmtpClient smtps = SmtpClient.connectTls("127.0.0.1", server.smtpsPort())) {
            assertThat(smtps.greeting().code()).isEqualTo(220);
            assertThat(smtps.send("EHLO client.test").code()).isEqualTo(250);
        }
        try (SmtpClient submission = SmtpClient.connect(server.submissionPort())) {
            submission.send("EHLO client.test");
            assertThat(submission.startTls().code()).isEqualTo(220);
            assertThat(submission.send("EHLO client.test").code()).isEqualTo(250);
            assertThat(submission.authPlain("alice@example.test", "secret").code())
                    .isEqualTo(235);
        }
        try (ImapsClient imaps = ImapsClient.login(server.imapsPort(), "alice@example.test", "secret")) {
            assertThat(imaps.inboxSize()).isZero();
        }
    }

    @Test
    void noPortListensBeyondLoopbackButTheMailListeners() {
        Set<Integer> mailListeners = Set.of(
                server.smtpPort(),
                server.smtpsPort(),
                server.submissionPort(),
                server.port("IMAP_PORT"),
                server.imapsPort());
        List<ListeningSockets.Listener> listeners = ListeningSockets.of(server.pid());

        assertThat(listeners)
                .as("the server's own listening sockets")
                .extracting(ListeningSockets.Listener::port)
                .contains(server.port("WEBADMIN_PORT"), server.port("JMX_PORT"))
                .containsAll(mailListeners);
        assertThat(listeners)
                .as("listening beyond loopback")
                .filteredOn(listener -> !listener.isLoopback())
                .extracting(ListeningSockets.Listener::port)
                .isSubsetOf(mailListeners);
    }

    private static KeyStore load(String password) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(server.conf("keystore"))) {
            keyStore.load(in, password.toCharArray());
        }
        return keyStore;
    }
}
