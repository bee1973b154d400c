package io.github.smtpshield.policy;

import java.net.InetAddress;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The SMTP reply of a refusal, declared by the rule that refuses: the adapter writes it as it is, so the README's
 * reply table, the rules and the wire cannot drift apart.
 *
 * @param code   the three-digit reply code (RFC 5321), e.g. {@code 421}
 * @param status the enhanced status code (RFC 3463), e.g. {@code 4.7.1}
 * @param text   the text after the status; {@code %s} stands for the client's address
 * @param closes whether the server closes the connection after it
 */
public record Reply(String code, String status, String text, boolean closes) {
    private static final Pattern CODE = Pattern.compile("[245][0-9][0-9]");
    private static final Pattern STATUS = Pattern.compile("[245]\\.[0-9]{1,3}\\.[0-9]{1,3}");

    public Reply {
        Objects.requireNonNull(text, "text");
        if (!CODE.matcher(code).matches() || !STATUS.matcher(status).matches() || code.charAt(0) != status.charAt(0)) {
            throw new IllegalArgumentException("not an SMTP reply: " + code + " " + status);
        }
    }

    /** A reply after which the session goes on. */
    public static Reply of(String code, String status, String text) {
        return new Reply(code, status, text, false);
    }

    /** A reply after which the server closes the connection. */
    public static Reply closing(String code, String status, String text) {
        return new Reply(code, status, text, true);
    }

    /** A temporary refusal (4xx): the client may try again later. */
    public boolean temporary() {
        return code.charAt(0) == '4';
    }

    /** The reply's line after the code: {@code 4.7.1 Too much mail from 203.0.113.5, try again later}. */
    public String line(InetAddress client) {
        return status + " " + String.format(text, client.getHostAddress());
    }
}
