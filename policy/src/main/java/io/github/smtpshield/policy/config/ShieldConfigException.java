package io.github.smtpshield.policy.config;

/**
 * A configuration file that cannot be used; start-up stops with its message.
 *
 * <p>The message is always one line, in the form
 * <pre>{source}: {where}: {problem}: '{value}'</pre>
 * <ul>
 *   <li>{@code source} is the file as it was given ({@code conf/smtpshield.xml});</li>
 *   <li>{@code where} is the path of the element from the root, {@code <smtpshield><perIp><maxMessagesPerHour>},
 *       with an attribute written inside its element's tag, {@code <smtpshield><perIp ipv4Prefix>};
 *       {@code line N} for malformed XML; left out when the problem is the whole file;</li>
 *   <li>{@code problem} says what is wrong and, where it helps, what was expected;</li>
 *   <li>{@code value}, in single quotes, is the offending text (trimmed) when there is one.</li>
 * </ul>
 * Examples:
 * <pre>
 * conf/smtpshield.xml: &lt;smtpshield&gt;&lt;perIp&gt;&lt;maxMessagesPerHour&gt;: not a whole number: 'abc'
 * conf/smtpshield.xml: &lt;smtpshield&gt;&lt;perIp ipv4Prefix&gt;: must be 1..32: '33'
 * conf/smtpshield.xml: &lt;smtpshield&gt;&lt;perIp&gt;: unknown element (expected maxMessagesPerHour, maxConcurrentConnections or maxUnknownRecipients): 'maxMessagesPerDay'
 * conf/smtpshield.xml: line 3: malformed XML: ...
 * conf/smtpshield.xml: cannot read file: no such file
 * </pre>
 */
public final class ShieldConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    ShieldConfigException(String message) {
        super(oneLine(message));
    }

    ShieldConfigException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** A value or parser message spanning lines must not break the one-line log entry. */
    private static String oneLine(String message) {
        return message.replaceAll("\\R", "\\\\n");
    }
}
