package io.github.smtpshield.audit.conf;

import io.github.smtpshield.policy.config.DataSizes;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.w3c.dom.Element;

/**
 * What the shield needs to know of one enabled {@code <smtpserver>} of James's {@code smtpserver.xml}, with James
 * 3.8.1's defaults for what is left out: the one reader of that file, for the audit and the start-up open-relay
 * guard.
 *
 * @param name                {@code <jmxName>}
 * @param bind                {@code <bind>}, placeholders resolved ({@code 0.0.0.0:2525})
 * @param socketTls           {@code <tls socketTLS="true">}: the whole session is encrypted (SMTPS)
 * @param authAnnounced       {@code <auth><announce>} is not {@code never} (or the old {@code <authRequired>} is set)
 * @param authRequiresTls     {@code <auth><requireSSL>}: AUTH only after STARTTLS
 * @param authorizedAddresses {@code <authorizedAddresses>}: who relays without authenticating ("" for nobody)
 * @param maxMessageSize      {@code <maxmessagesize>} in bytes (James reads a bare number as KiB), 0 for none
 * @param guardedByShield     the shield's core handlers run there ({@code coreHandlersPackage})
 * @param proxyRequired       {@code <proxyRequired>}: every connection starts with a PROXY-protocol header, whose
 *     source James takes for the client (relay rights included)
 */
public record SmtpListener(
        String name,
        String bind,
        boolean socketTls,
        boolean authAnnounced,
        boolean authRequiresTls,
        String authorizedAddresses,
        long maxMessageSize,
        boolean guardedByShield,
        boolean proxyRequired) {

    public static final String FILE = "smtpserver.xml";
    public static final String SHIELD_CORE_HANDLERS = "io.github.smtpshield.smtp.ShieldCoreHandlers";

    /** The enabled listeners of the file. */
    public static List<SmtpListener> read(Path file) throws UnreadableConfException {
        return enabled(ConfXml.root(file));
    }

    /** The enabled listeners of the stream (which the caller closes); {@code source} is what errors call it. */
    public static List<SmtpListener> read(InputStream in, String source) throws UnreadableConfException {
        return enabled(ConfXml.root(in, source));
    }

    private static List<SmtpListener> enabled(Element root) {
        return ConfXml.children(root, "smtpserver").stream()
                .filter(server -> ConfXml.bool(ConfXml.attribute(server, "enabled"), true))
                .map(SmtpListener::of)
                .toList();
    }

    private static SmtpListener of(Element server) {
        String announce = ConfXml.textAt(server, "auth", "announce")
                .orElseGet(() -> switch (ConfXml.text(server, "authRequired")
                        .orElse("false")
                        .toLowerCase(Locale.ROOT)) {
                    case "true" -> "forUnauthorizedAddresses";
                    case "announce" -> "always";
                    default -> "never";
                });
        return new SmtpListener(
                ConfXml.text(server, "jmxName").orElse("smtpserver"),
                ConfXml.text(server, "bind").orElse("0.0.0.0:25"),
                ConfXml.bool(ConfXml.child(server, "tls").flatMap(tls -> ConfXml.attribute(tls, "socketTLS")), false),
                !announce.equalsIgnoreCase("never"),
                ConfXml.bool(ConfXml.textAt(server, "auth", "requireSSL"), false),
                ConfXml.text(server, "authorizedAddresses").orElse(""),
                size(ConfXml.text(server, "maxmessagesize").orElse("0")),
                ConfXml.child(server, "handlerchain")
                        .flatMap(chain -> ConfXml.attribute(chain, "coreHandlersPackage"))
                        .map(SHIELD_CORE_HANDLERS::equals)
                        .orElse(false),
                ConfXml.bool(ConfXml.text(server, "proxyRequired"), false));
    }

    /** James's {@code Size.parse(value, Unit.K)}: a bare number is KiB. An unreadable size counts as none. */
    private static long size(String value) {
        try {
            return value.matches("\\d+") ? Long.parseLong(value) * 1024 : DataSizes.parse(value);
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    /** How the listener is named in findings and refusals: {@code <smtpserver> 'smtpserver-global'}. */
    public String element() {
        return "<smtpserver> '" + name + "'";
    }
}
