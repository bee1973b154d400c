package io.github.smtpshield.policy.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The directory-harvest limit: {@code <maxUnknownRecipients window="1h" blockFor="1h">10</maxUnknownRecipients>}.
 * A client that names more than {@code value} unknown recipients within {@code window} is
 * blocked for {@code blockFor}. Absent or {@code 0} means off.
 *
 * @param value    unknown recipients allowed within the window, 0 when off
 * @param window   how far back unknown recipients count (default 1h)
 * @param blockFor how long the client stays blocked once over the limit (default 1h)
 * @param mode     enforce or only observe
 */
public record HarvestLimit(long value, Duration window, Duration blockFor, Mode mode) {

    public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
    public static final Duration DEFAULT_BLOCK_FOR = Duration.ofHours(1);

    private static final HarvestLimit OFF = new HarvestLimit(0, DEFAULT_WINDOW, DEFAULT_BLOCK_FOR, Mode.ENFORCE);

    public HarvestLimit {
        if (value < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + value);
        }
        requirePositive(window, "window");
        requirePositive(blockFor, "blockFor");
        Objects.requireNonNull(mode, "mode");
    }

    public static HarvestLimit off() {
        return OFF;
    }

    public boolean enabled() {
        return value > 0;
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }
}
