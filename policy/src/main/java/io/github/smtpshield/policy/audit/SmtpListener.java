package io.github.smtpshield.policy.audit;

import io.github.smtpshield.policy.config.DataSizes;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.w3c.dom.Element;

/**
 * What the audit needs to know of one enabled {@code <smtpserver>} of James's {@code smtpserver.xml}, with James
 * 3.8.1's defaults for what is left out.
 *
 * @param name                {@code <jmxName>}
 * @param bind                {@code <bind>}
 * @param socketTls           {@code <tls socketTLS="true">}: the whole session is encrypted (SMTPS)
 * @param authAnnounced       {@code <auth><announce>} is not {@code never} (or the old {@code <authRequired>} is set)
 * @param authRequiresTls     {@code <auth><requireSSL>}: AUTH only after STARTTLS
 * @param authorizedAddresses {@code <authorizedAddresses>}: who relays without authenticating ("" for nobody)
 * @param maxMessageSize      {@code <maxmessagesize>} in bytes (James reads a bare number as KiB), 0 for none
 * @param guardedByShield     the shield's core handlers run there ({@code coreHandlersPackage})
 */
record SmtpListener(
        String name,
        String bind,
        boolean socketTls,
        boolean authAnnounced,
        boolean authRequiresTls,
        String authorizedAddresses,
        long maxMessageSize,
        boolean guardedByShield) {

    static final String SHIELD_CORE_HANDLERS = "io.github.smtpshield.smtp.ShieldCoreHandlers";

    static List<SmtpListener> read(Path file) throws UnreadableConfException {
        Element root = XmlFile.root(file);
        return XmlFile.children(root, "smtpserver").stream()
                .filter(server -> !XmlFile.attribute(server, "enabled")
                        .map("false"::equalsIgnoreCase)
                        .orElse(false))
                .map(SmtpListener::of)
                .toList();
    }

    private static SmtpListener of(Element server) {
        String announce = XmlFile.textAt(server, "auth", "announce")
                .orElseGet(() -> switch (XmlFile.text(server, "authRequired")
                        .orElse("false")
                        .toLowerCase(Locale.ROOT)) {
                    case "true" -> "forUnauthorizedAddresses";
                    case "announce" -> "always";
                    default -> "never";
                });
        return new SmtpListener(
                XmlFile.text(server, "jmxName").orElse("smtpserver"),
                XmlFile.text(server, "bind").orElse("0.0.0.0:25"),
                XmlFile.child(server, "tls")
                        .flatMap(tls -> XmlFile.attribute(tls, "socketTLS"))
                        .map(Boolean::parseBoolean)
                        .orElse(false),
                !announce.equalsIgnoreCase("never"),
                XmlFile.textAt(server, "auth", "requireSSL")
                        .map(Boolean::parseBoolean)
                        .orElse(false),
                XmlFile.text(server, "authorizedAddresses").orElse(""),
                size(XmlFile.text(server, "maxmessagesize").orElse("0")),
                XmlFile.child(server, "handlerchain")
                        .flatMap(chain -> XmlFile.attribute(chain, "coreHandlersPackage"))
                        .map(SHIELD_CORE_HANDLERS::equals)
                        .orElse(false));
    }

    /** James's {@code Size.parse(value, Unit.K)}: a bare number is KiB. An unreadable size counts as none. */
    private static long size(String value) {
        try {
            return value.matches("\\d+") ? Long.parseLong(value) * 1024 : DataSizes.parse(value);
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    /** How the listener is named in findings: {@code <smtpserver> 'smtpserver-global'}. */
    String element() {
        return "<smtpserver> '" + name + "'";
    }
}
