package io.github.smtpshield.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jwts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code smtp-shield jwt-keys} and {@code smtp-shield token}: a key pair, then admin tokens James accepts. */
class TokenCommandTest {
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

    @Test
    void theKeysAreTheOwnersAndATokenIsAnAdminJwtSignedWithThem() throws Exception {
        assertThat(run("jwt-keys", conf.toString())).isZero();
        for (String key : new String[] {JwtKeys.PUBLIC_KEY, JwtKeys.PRIVATE_KEY}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf.resolve(key))))
                    .isEqualTo("rw-------");
        }
        assertThat(Files.readString(conf.resolve(JwtKeys.PUBLIC_KEY))).startsWith("-----BEGIN PUBLIC KEY-----\n");
        out.getBuffer().setLength(0);

        assertThat(run("token", "--key", conf.resolve(JwtKeys.PRIVATE_KEY).toString(), "--valid-for", "2h"))
                .isZero();

        Claims claims = Jwts.parserBuilder()
                .setSigningKey(publicKey(conf.resolve(JwtKeys.PUBLIC_KEY)))
                .build()
                .parseClaimsJws(out.toString().strip())
                .getBody();
        assertThat(claims.getSubject()).isEqualTo("admin");
        assertThat(claims.get("admin", Boolean.class)).isTrue();
        assertThat(Duration.between(Instant.now(), claims.getExpiration().toInstant()))
                .isBetween(Duration.ofMinutes(119), Duration.ofHours(2));
    }

    @Test
    void aSecondRunKeepsTheKeys() throws Exception {
        assertThat(run("jwt-keys", conf.toString())).isZero();
        String first = Files.readString(conf.resolve(JwtKeys.PRIVATE_KEY));

        assertThat(run("jwt-keys", conf.toString())).isZero();

        assertThat(Files.readString(conf.resolve(JwtKeys.PRIVATE_KEY))).isEqualTo(first);
    }

    @Test
    void withoutAKeyTheCommandSaysHowToMakeOne() {
        assertThat(run("token", "--key", conf.resolve("none").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("start the server once with WEBADMIN_JWT=true");

        assertThat(run("token", "--valid-for", "0s")).isEqualTo(2);
        assertThat(run("token", "--valid-for", "soon")).isEqualTo(2);
    }

    private static PublicKey publicKey(Path pem) throws Exception {
        String base64 =
                Files.readString(pem).replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "");
        return KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder().decode(base64)));
    }
}
