package io.github.smtpshield.webadmin;

import java.time.Duration;

/** Writes a duration the way {@code smtpshield.xml} reads it: in its largest exact unit, {@code 1h}, {@code 90s}, {@code 1500ms}. */
final class DurationText {
    private static final long[] MILLIS = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
    private static final String[] UNITS = {"d", "h", "m", "s"};

    private DurationText() {}

    static String format(Duration duration) {
        long millis = duration.toMillis();
        for (int i = 0; i < MILLIS.length; i++) {
            if (millis != 0 && millis % MILLIS[i] == 0) {
                return millis / MILLIS[i] + UNITS[i];
            }
        }
        return millis + "ms";
    }
}
