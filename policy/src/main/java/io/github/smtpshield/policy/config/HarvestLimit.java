package io.github.smtpshield.policy.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A limit that blocks: {@code <maxUnknownRecipients window="1h" blockFor="1h">10</maxUnknownRecipients>}. A client
 * with more than {@code value} events within {@code window} is blocked for {@code blockFor}. Absent or {@code 0} means
 * off.
 *
 * @param value    events allowed within the window, 0 when off
 * @param window   how far back events count (default 1h)
 * @param blockFor how long the client stays blocked once over the limit (default 1h)
 * @param mode     enforce or only observe
 */
public record HarvestLimit(long value, Duration window, Duration blockFor, Mode mode) implements RuleSettings {

    public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
    public static final Duration DEFAULT_BLOCK_FOR = Duration.ofHours(1);

    private static final HarvestLimit OFF = new HarvestLimit(0, DEFAULT_WINDOW, DEFAULT_BLOCK_FOR, Mode.ENFORCE);

    /** Reads the count with {@code window}, {@code blockFor} and {@code mode}. */
    public static final RuleElement.Reader<HarvestLimit> READER =
            element -> read(element, "blockFor", DEFAULT_BLOCK_FOR);

    /**
     * Reads the count with {@code window}, {@code mode} and the penalty's length under the attribute named
     * {@code length} ({@code blockFor}; {@code lockFor} for an account's lock).
     */
    static HarvestLimit read(ConfigElement element, String length, Duration defaultLength)
            throws ShieldConfigException {
        element.allowAttributes(ConfigValues.MODE, "window", length);
        return new HarvestLimit(
                element.value(WholeNumber::parse),
                element.attribute("window", ConfigValues::positiveDuration).orElse(DEFAULT_WINDOW),
                element.attribute(length, ConfigValues::positiveDuration).orElse(defaultLength),
                ConfigValues.mode(element));
    }

    public HarvestLimit {
        if (value < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + value);
        }
        Durations.requirePositive(window, "window");
        Durations.requirePositive(blockFor, "blockFor");
        Objects.requireNonNull(mode, "mode");
    }

    public static HarvestLimit off() {
        return OFF;
    }

    @Override
    public boolean enabled() {
        return value > 0;
    }

    @Override
    public Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("enabled", enabled());
        view.put("limit", value);
        view.put("window", Durations.format(window));
        view.put("blockFor", Durations.format(blockFor));
        view.put("mode", ConfigValues.text(mode));
        return view;
    }
}
