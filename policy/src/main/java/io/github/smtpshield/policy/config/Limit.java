package io.github.smtpshield.policy.config;

import java.util.Objects;

/**
 * A numeric limit such as {@code <maxMessagesPerHour>200</maxMessagesPerHour>}. A limit of N
 * allows N events; the one that would be N+1 is refused. Absent or {@code 0} means off.
 *
 * @param value the limit (bytes for a message size), 0 when off
 * @param mode  enforce or only observe
 */
public record Limit(long value, Mode mode) {

    private static final Limit OFF = new Limit(0, Mode.ENFORCE);

    public Limit {
        if (value < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + value);
        }
        Objects.requireNonNull(mode, "mode");
    }

    public static Limit off() {
        return OFF;
    }

    public boolean enabled() {
        return value > 0;
    }
}
