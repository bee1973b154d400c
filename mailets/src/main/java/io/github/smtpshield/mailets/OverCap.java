package io.github.smtpshield.mailets;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/**
 * What a cap matcher found wrong with a mail, carried to {@link RejectWithDsn} as a mail attribute: the RFC 3463
 * status of the rejection and the reason in words ({@code 5.5.3}, "too many recipients: 101, at most 100").
 *
 * @param status   the enhanced status code, class 5
 * @param smtpCode the basic SMTP reply code that goes with it in the DSN's Diagnostic-Code
 * @param reason   what was over which cap
 */
record OverCap(String status, int smtpCode, String reason) {
    static final AttributeName ATTRIBUTE = AttributeName.of("io.github.smtpshield.over-cap");

    private static final Pattern STORED = Pattern.compile("(5\\.\\d{1,3}\\.\\d{1,3}) (\\d{3}) (.*)", Pattern.DOTALL);

    static OverCap tooManyRecipients(int recipients, long cap) {
        return new OverCap("5.5.3", 550, "Too many recipients: " + recipients + ", at most " + cap + " per message");
    }

    static OverCap tooBig(long size, long cap) {
        return new OverCap("5.3.4", 552, "Message too big: " + size + " bytes, at most " + cap);
    }

    /** The finding stored on {@code mail} by a cap matcher, if any. */
    static Optional<OverCap> of(Mail mail) {
        return mail.getAttribute(ATTRIBUTE)
                .map(attribute -> attribute.getValue().value())
                .filter(String.class::isInstance)
                .map(String.class::cast)
                .map(STORED::matcher)
                .filter(Matcher::matches)
                .map(stored -> new OverCap(stored.group(1), Integer.parseInt(stored.group(2)), stored.group(3)));
    }

    void storeOn(Mail mail) {
        mail.setAttribute(new Attribute(ATTRIBUTE, AttributeValue.of(status + " " + smtpCode + " " + reason)));
    }

    /** The DSN's Diagnostic-Code value, for example {@code smtp; 552 5.3.4 Message too big: ...}. */
    String diagnosticCode() {
        return "smtp; " + smtpCode + " " + status + " " + reason;
    }
}
