package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WebAdmin with JWT in one step: a start with {@code WEBADMIN_JWT=true} makes the key pair and turns authentication
 * on, {@code bin/smtp-shield token} prints an admin token that WebAdmin accepts, and nothing is served without one.
 */
class WebAdminJwtIT {
    private static ShieldServer server;
    private static String token;

    @BeforeAll
    static void start() {
        server = ShieldServer.prepare().environment("WEBADMIN_JWT", "true").start();
        ShieldServer.CommandResult printed = server.runLauncher("token");
        assertThat(printed.exitStatus()).as(printed.output()).isZero();
        token = printed.output().strip();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theFirstStartMadeTheKeyPairAndTurnedAuthenticationOn() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.conf("jwt_privatekey"))))
                .isEqualTo("rw-------");
        assertThat(Files.readString(server.conf("webadmin.properties")))
                .contains("\njwt.enabled=true\njwt.publickeypem.url=file://conf/jwt_publickey\n");

        ShieldServer.CommandResult audit = server.runLauncher("audit");
        assertThat(audit.output())
                .contains("OK   WebAdmin authentication: JWT: every request needs an admin token")
                .doesNotContain("WARN");
    }

    @Test
    void withoutATokenOrWithAForgedOneNothingIsServed() {
        assertThat(server.webAdmin().get("/smtpshield/policy").statusCode()).isEqualTo(401);
        assertThat(server.webAdmin().put("/domains/evil.test").statusCode()).isEqualTo(401);
        String forged = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThat(server.webAdmin(forged).get("/smtpshield/policy").statusCode())
                .isEqualTo(401);
        assertThat(server.webAdmin(token).get("/domains/evil.test").statusCode())
                .isEqualTo(404);
    }

    @Test
    void theTokenOfTheCommandOpensJamesRoutesAndTheShields() {
        WebAdminClient webAdmin = server.webAdmin(token);

        assertThat(webAdmin.put("/domains/example.test").statusCode()).isEqualTo(204);
        assertThat(webAdmin.get("/smtpshield/policy").statusCode()).isEqualTo(200);
        HttpResponse<String> block = webAdmin.put("/smtpshield/blocked/203.0.113.5?duration=1h");
        assertThat(block.statusCode()).as(block.body()).isEqualTo(201);
    }

    @Test
    void aRequestBodyOver64KibIs413() {
        WebAdminClient webAdmin = server.webAdmin(token);
        String json = "{\"reason\": \"padded\"}";

        HttpResponse<String> tooLarge =
                webAdmin.put("/smtpshield/blocked/203.0.113.9", json + " ".repeat(64 * 1024 + 1 - json.length()));

        assertThat(tooLarge.statusCode()).as(tooLarge.body()).isEqualTo(413);
        assertThat(webAdmin.get("/smtpshield/blocked").body()).doesNotContain("203.0.113.9");
    }
}
