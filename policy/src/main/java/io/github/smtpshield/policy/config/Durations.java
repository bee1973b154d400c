package io.github.smtpshield.policy.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes durations: {@code 500ms}, {@code 90s}, {@code 30m}, {@code 1h}, {@code 1d}. The unit is
 * required and lower case, so that {@code 5} or {@code 5M} (minutes? months?) is never guessed.
 */
public final class Durations {

    private static final Pattern DURATION = Pattern.compile("(-?)([0-9]+)([A-Za-z]*)");

    /** The units of {@link #format}, largest first. */
    private record Unit(String symbol, long millis) {}

    private static final List<Unit> UNITS = List.of(
            new Unit("d", ChronoUnit.DAYS.getDuration().toMillis()),
            new Unit("h", ChronoUnit.HOURS.getDuration().toMillis()),
            new Unit("m", ChronoUnit.MINUTES.getDuration().toMillis()),
            new Unit("s", ChronoUnit.SECONDS.getDuration().toMillis()));

    private Durations() {}

    /**
     * The duration; zero is allowed here, callers that need a positive one check it.
     *
     * @throws IllegalArgumentException naming the problem and ending with the quoted text
     */
    public static Duration parse(String text) {
        Matcher duration = DURATION.matcher(text);
        if (!duration.matches()) {
            throw new IllegalArgumentException("not a duration (such as 90s, 30m, 1h, 1d): '" + text + "'");
        }
        if (!duration.group(1).isEmpty()) {
            throw new IllegalArgumentException("must not be negative: '" + text + "'");
        }
        ChronoUnit unit = switch (duration.group(3)) {
            case "ms" -> ChronoUnit.MILLIS;
            case "s" -> ChronoUnit.SECONDS;
            case "m" -> ChronoUnit.MINUTES;
            case "h" -> ChronoUnit.HOURS;
            case "d" -> ChronoUnit.DAYS;
            case "" -> throw new IllegalArgumentException("duration needs a unit (ms, s, m, h or d): '" + text + "'");
            default -> throw new IllegalArgumentException("unknown duration unit (ms, s, m, h or d): '" + text + "'");
        };
        try {
            return Duration.of(Long.parseLong(duration.group(2)), unit);
        } catch (ArithmeticException | NumberFormatException tooLarge) {
            throw new IllegalArgumentException("duration too large: '" + text + "'");
        }
    }

    /** Writes a duration the way {@link #parse} reads it: in its largest exact unit, {@code 1h}, {@code 90s}, {@code 1500ms}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        for (Unit unit : UNITS) {
            if (millis != 0 && millis % unit.millis() == 0) {
                return millis / unit.millis() + unit.symbol();
            }
        }
        return millis + "ms";
    }

    /**
     * A duration that must be there and more than zero (a timeout, a window, a block's length).
     *
     * @throws IllegalArgumentException naming what it is
     */
    public static Duration requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
        return duration;
    }
}
