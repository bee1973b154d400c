package io.github.smtpshield.policy.dns;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.Address;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** The domain part of a mail address, read the way RFC 5321 §4.1.2 writes it, before any lookup. */
final class MailDomain {

    private static final int MAX_DOMAIN_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;
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
        // Every MAIL FROM comes here: an ASCII name, nearly all of them, needs no IDNA (which would only check it).
        String ascii = isAscii(withoutDot) ? withoutDot.toLowerCase(Locale.ROOT) : toAscii(withoutDot);
        if (ascii == null || !isHostName(ascii)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Name.fromString(ascii, Name.root));
        } catch (TextParseException unexpected) {
            return Optional.empty();
        }
    }

    private static String toAscii(String unicode) {
        try {
            return IDN.toASCII(unicode, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException notAHostName) {
            return null;
        }
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Lower-case LDH labels (RFC 1123 §2.1) of 1 to 63 characters, neither starting nor ending with a hyphen. */
    private static boolean isHostName(String ascii) {
        if (ascii.isEmpty() || ascii.length() > MAX_DOMAIN_LENGTH) {
            return false;
        }
        int labelStart = 0;
        for (int i = 0; i <= ascii.length(); i++) {
            if (i == ascii.length() || ascii.charAt(i) == '.') {
                int length = i - labelStart;
                if (length < 1
                        || length > MAX_LABEL_LENGTH
                        || ascii.charAt(labelStart) == '-'
                        || ascii.charAt(i - 1) == '-') {
                    return false;
                }
                labelStart = i + 1;
            } else if (!isLetterDigitHyphen(ascii.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetterDigitHyphen(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    }
}
