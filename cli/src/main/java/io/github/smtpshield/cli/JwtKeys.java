package io.github.smtpshield.cli;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.SignatureAlgorithm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.EnumSet;

/**
 * The RSA key pair of WebAdmin's tokens, as PEM files in the conf folder: {@code jwt_publickey} (X.509, which
 * James's {@code jwt.publickeypem.url} reads) and {@code jwt_privatekey} (PKCS #8, which {@code token} signs with).
 * Both are created for their owner only.
 */
final class JwtKeys {
    static final String PUBLIC_KEY = "jwt_publickey";
    static final String PRIVATE_KEY = "jwt_privatekey";
    private static final String PRIVATE_PEM = "PRIVATE KEY";
    private static final int KEY_BITS = 2048;

    private JwtKeys() {}

    /** Makes a new pair in {@code conf}; fails if either file is there already. */
    static void create(Path conf) throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(KEY_BITS);
        KeyPair pair = generator.generateKeyPair();
        writeOwnerOnly(
                conf.resolve(PRIVATE_KEY), pem(PRIVATE_PEM, pair.getPrivate().getEncoded()));
        writeOwnerOnly(
                conf.resolve(PUBLIC_KEY), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    }

    /**
     * An admin token, RS256-signed with the private key in {@code file}: its {@code sub} is the subject and
     * {@code admin} is true (what James's WebAdmin asks of a token), valid for {@code validity} from now.
     */
    static String adminToken(Path file, String subject, Duration validity)
            throws IOException, GeneralSecurityException {
        Instant now = Instant.now();
        return Jwts.builder()
                .setSubject(subject)
                .claim("admin", true)
                .setIssuedAt(Date.from(now))
                .setExpiration(Date.from(now.plus(validity)))
                .signWith(privateKey(file), SignatureAlgorithm.RS256)
                .compact();
    }

    static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        String text = Files.readString(file, US_ASCII);
        String begin = "-----BEGIN " + PRIVATE_PEM + "-----";
        String end = "-----END " + PRIVATE_PEM + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new GeneralSecurityException(file + ": not a PEM " + PRIVATE_PEM);
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static void writeOwnerOnly(Path file, String text) throws IOException {
        Files.createFile(
                file,
                PosixFilePermissions.asFileAttribute(
                        EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
        Files.writeString(file, text, US_ASCII);
    }
}
