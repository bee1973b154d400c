package io.github.smtpshield.policy.config;

/**
 * A rule's element of {@code smtpshield.xml}, declared by the rule: where it is ({@code <perIp><maxMessagesPerHour>}),
 * what it is in Kerio's words, how it is read, and what its absence means. {@link ShieldConfigParser} reads every
 * element of the rule registry this way, so that a rule is configured without the parser knowing it.
 *
 * @param section the child of {@code <smtpshield>} the element is in, such as {@code perIp}
 * @param name    the element's name: also the rule's name in metrics ({@code smtpshield_<name>_rejected}) and logs
 * @param title   what the rule does, in Kerio's words where Kerio has words ("max messages per hour per IP")
 * @param reader  reads the element
 * @param off     the settings of an absent element
 * @param <S>     the kind of settings
 */
public record RuleElement<S extends RuleSettings>(String section, String name, String title, Reader<S> reader, S off) {

    /** Reads the element strictly: a bad value is an error naming the file, the element and the value. */
    @FunctionalInterface
    public interface Reader<S> {
        S read(ConfigElement element) throws ShieldConfigException;
    }

    /** The element's path as errors and the audit write it: {@code <perIp><maxMessagesPerHour>}. */
    public String path() {
        return "<" + section + "><" + name + ">";
    }
}
