package io.github.smtpshield.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * WebAdmin's JWT authentication turned on in a test server's conf: a fresh RSA key whose public half goes in
 * {@code conf/jwt_publickey} ({@code jwt.publickeypem.url}), and tokens signed with it (RS256) the way an
 * administrator's identity provider would sign them: subject and {@code admin: true}, which James 3.8.1 requires.
 */
final class WebAdminJwt {
    private final KeyPair key;

    private WebAdminJwt(KeyPair key) {
        this.key = key;
    }

    /** Turns JWT authentication on in the server's {@code webadmin.properties}. */
    static WebAdminJwt enable(ShieldServer server) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            WebAdminJwt jwt = new WebAdminJwt(generator.generateKeyPair());
            String pem = "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(UTF_8))
                            .encodeToString(jwt.key.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
            Files.writeString(server.conf("jwt_publickey"), pem, UTF_8);
            server.editConf(
                    "webadmin.properties",
                    text -> text.replace("#jwt.enabled=true", "jwt.enabled=true")
                            .replace(
                                    "#jwt.publickeypem.url=file://conf/jwt_publickey",
                                    "jwt.publickeypem.url=file://conf/jwt_publickey"));
            return jwt;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An administrator's token, valid for an hour. */
    String adminToken() {
        long expires = Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
        String header = part("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String claims = part("{\"sub\":\"admin@example.test\",\"admin\":true,\"exp\":" + expires + "}");
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key.getPrivate());
            rs256.update((header + "." + claims).getBytes(UTF_8));
            return header + "." + claims + "."
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String part(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(UTF_8));
    }
}
