package io.github.smtpshield.policy.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads sizes as James's {@code maxmessagesize} does: {@code 512K}, {@code 25M}, {@code 1G} in
 * binary units (K = 1024 bytes), the unit in either case; a bare number is bytes.
 */
public final class DataSizes {

    private static final Pattern SIZE = Pattern.compile("(-?)([0-9]+)([A-Za-z]*)");

    private DataSizes() {}

    /**
     * The size in bytes.
     *
     * @throws IllegalArgumentException naming the problem and ending with the quoted text
     */
    public static long parse(String text) {
        Matcher size = SIZE.matcher(text);
        if (!size.matches()) {
            throw new IllegalArgumentException("not a size (such as 512K, 25M, 1G or bytes): '" + text + "'");
        }
        if (!size.group(1).isEmpty()) {
            throw new IllegalArgumentException("must not be negative: '" + text + "'");
        }
        long multiplier = switch (size.group(3).toUpperCase(Locale.ROOT)) {
            case "" -> 1;
            case "K" -> 1L << 10;
            case "M" -> 1L << 20;
            case "G" -> 1L << 30;
            default ->
                throw new IllegalArgumentException("unknown size unit (K, M, G or none for bytes): '" + text + "'");
        };
        try {
            return Math.multiplyExact(Long.parseLong(size.group(2)), multiplier);
        } catch (ArithmeticException | NumberFormatException tooLarge) {
            throw new IllegalArgumentException("size too large: '" + text + "'");
        }
    }
}
