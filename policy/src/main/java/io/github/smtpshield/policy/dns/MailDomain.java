package io.github.smtpshield.policy.dns;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.xbill.DNS.Address;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** The domain part of a mail address, read the way RFC 5321 §4.1.2 writes it, before any lookup. */
final class MailDomain {

    private static final Pattern LDH_LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final int MAX_DOMAIN_LENGTH = 253;
    private static final String IPV6_TAG = "ipv6:";

    private MailDomain() {}

    /** {@code [192.0.2.1]} or {@code [IPv6:2001:db8::1]}: a valid address literal, which names no domain to look up. */
    static boolean isAddressLiteral(String domain) {
        if (domain.length() < 2 || domain.charAt(0) != '[' || domain.charAt(domain.length() - 1) != ']') {
            return false;
        }
        String literal = domain.substring(1, domain.length() - 1);
        if (literal.toLowerCase(Locale.ROOT).startsWith(IPV6_TAG)) {
            return Address.toByteArray(literal.substring(IPV6_TAG.length()), Address.IPv6) != null;
        }
        return Address.isDottedQuad(literal);
    }

    /**
     * The domain as an absolute DNS name: lower case, without the trailing dot, internationalised names in
     * their ASCII form; empty when it is not a host name (letters, digits, hyphens; labels of 1 to 63).
     */
    static Optional<Name> toName(String domain) {
        String withoutDot = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        String ascii;
        try {
            ascii = IDN.toASCII(withoutDot, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException notAHostName) {
            return Optional.empty();
        }
        if (ascii.isEmpty() || ascii.length() > MAX_DOMAIN_LENGTH) {
            return Optional.empty();
        }
        for (String label : ascii.split("\\.", -1)) {
            if (!LDH_LABEL.matcher(label).matches()) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(Name.fromString(ascii, Name.root));
        } catch (TextParseException unexpected) {
            return Optional.empty();
        }
    }
}
