package io.github.smtpshield.policy.config;

import java.util.regex.Pattern;

/** Reads the non-negative whole numbers of the configuration, refusing signs, fractions and overflow. */
final class WholeNumber {

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern NEGATIVE = Pattern.compile("-[0-9]+");

    private WholeNumber() {}

    /** @throws IllegalArgumentException ending with the quoted text */
    static long parse(String text) {
        if (NEGATIVE.matcher(text).matches()) {
            throw new IllegalArgumentException("must not be negative: '" + text + "'");
        }
        if (!DIGITS.matcher(text).matches()) {
            throw new IllegalArgumentException("not a whole number: '" + text + "'");
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException tooLarge) {
            throw new IllegalArgumentException("number too large: '" + text + "'");
        }
    }
}
