package io.github.smtpshield.policy.config;

import java.time.Duration;
import java.util.Locale;

/**
 * The small readers every element of {@code smtpshield.xml} shares. Each throws {@link IllegalArgumentException}
 * naming the problem and ending with the quoted text, which {@link ConfigElement} turns into the one-line error.
 */
public final class ConfigValues {

    /** The attribute every rule element may carry: {@code mode="observe"}. */
    public static final String MODE = "mode";

    private ConfigValues() {}

    /** The element's {@code mode} attribute; {@code enforce} when absent. */
    public static Mode mode(ConfigElement rule) throws ShieldConfigException {
        return rule.attribute(MODE, text -> switch (text) {
                    case "enforce" -> Mode.ENFORCE;
                    case "observe" -> Mode.OBSERVE;
                    default -> throw new IllegalArgumentException("not a mode (enforce or observe): '" + text + "'");
                })
                .orElse(Mode.ENFORCE);
    }

    public static boolean bool(String text) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("not a boolean (true or false): '" + text + "'");
        };
    }

    public static long wholeNumber(String text) {
        return WholeNumber.parse(text);
    }

    public static long atLeastOne(String text) {
        long value = WholeNumber.parse(text);
        if (value < 1) {
            throw new IllegalArgumentException("must be at least 1: '" + text + "'");
        }
        return value;
    }

    /** A prefix length of 1 to {@code addressBits}. */
    public static int prefixLength(String text, int addressBits) {
        long prefix = WholeNumber.parse(text);
        if (prefix < 1 || prefix > addressBits) {
            throw new IllegalArgumentException("must be 1.." + addressBits + ": '" + text + "'");
        }
        return (int) prefix;
    }

    public static Duration positiveDuration(String text) {
        Duration duration = Durations.parse(text);
        if (duration.isZero()) {
            throw new IllegalArgumentException("must be positive: '" + text + "'");
        }
        return duration;
    }

    /** An enum value as the file writes it: {@code observe}, {@code redis}. */
    public static String text(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
