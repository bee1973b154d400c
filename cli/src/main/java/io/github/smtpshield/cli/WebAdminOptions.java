package io.github.smtpshield.cli;

import io.github.smtpshield.audit.conf.ConfProperties;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the console commands find the local WebAdmin, and how they prove who they are: read from the install's
 * {@code conf/webadmin.properties} (its {@code port}, {@code host} and {@code https.enabled}, placeholders resolved
 * as James resolves them) and its token from {@code conf/webadmin.jwt} or {@code conf/jwt_privatekey}, each
 * overridden by a flag.
 */
final class WebAdminOptions {
    static final String WEBADMIN = "webadmin.properties";
    /** The token file: one JWT, sent when present (WebAdmin asks for one when {@code jwt.enabled=true}). */
    static final String TOKEN_FILE = "webadmin.jwt";
    /** Who the console's own tokens name, in James's log lines. */
    static final String CONSOLE_SUBJECT = "smtp-shield-console";

    static final Duration CONSOLE_TOKEN_VALIDITY = Duration.ofMinutes(5);
    /** The launcher's default WebAdmin port (WEBADMIN_PORT). */
    static final int DEFAULT_PORT = 8000;

    @Option(
            names = "--conf",
            paramLabel = "DIR",
            defaultValue = "conf",
            description =
                    "the install's conf folder, where WebAdmin's port and token are read (default: ${DEFAULT-VALUE})")
    Path conf;

    @Option(
            names = "--url",
            paramLabel = "URL",
            description = "WebAdmin's address, such as http://localhost:8000 (default: from webadmin.properties)")
    URI url;

    @Option(
            names = "--token",
            paramLabel = "JWT",
            description = "WebAdmin's JWT (default: the contents of conf/" + TOKEN_FILE + ", else one signed with conf/"
                    + JwtKeys.PRIVATE_KEY + ", if either is there)")
    String token;

    @Option(names = "--json", description = "print WebAdmin's JSON answer instead of a table")
    boolean json;

    /** {@code http://localhost:8000}, or what webadmin.properties and the flags say. */
    URI baseUrl() {
        if (url != null) {
            return URI.create(url.toString().replaceAll("/+$", ""));
        }
        Optional<ConfProperties> webAdmin = ConfProperties.read(conf.resolve(WEBADMIN));
        String scheme = webAdmin.map(p -> p.bool("https.enabled", false)).orElse(false) ? "https" : "http";
        String host = webAdmin.map(p -> p.get("host", "localhost")).orElse("localhost");
        // WebAdmin bound to every address is reached on this host's loopback.
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "localhost";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        int port = webAdmin.map(p -> p.get("port", ""))
                .flatMap(WebAdminOptions::port)
                .orElse(DEFAULT_PORT);
        return URI.create(scheme + "://" + host + ":" + port);
    }

    /**
     * The flag's token, else the token file's, else a token of a few minutes signed with the install's
     * {@code conf/jwt_privatekey} (made by the first start with {@code WEBADMIN_JWT=true}), else none.
     */
    Optional<String> bearer() throws IOException {
        if (token != null) {
            return Optional.of(token.strip()).filter(t -> !t.isEmpty());
        }
        Path file = conf.resolve(TOKEN_FILE);
        if (Files.isReadable(file)) {
            return Optional.of(Files.readString(file).strip()).filter(t -> !t.isEmpty());
        }
        Path key = conf.resolve(JwtKeys.PRIVATE_KEY);
        if (!Files.isReadable(key)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JwtKeys.adminToken(key, CONSOLE_SUBJECT, CONSOLE_TOKEN_VALIDITY));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot sign a token with " + key + ": " + e.getMessage(), e);
        }
    }

    /** A port number; an unresolved placeholder (run outside the launcher) is none. */
    private static Optional<Integer> port(String text) {
        try {
            int port = Integer.parseInt(text);
            return port > 0 && port < 65536 ? Optional.of(port) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
