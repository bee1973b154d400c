package io.github.smtpshield.policy.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A limit on how long something may last, such as {@code <maxDuration>10m</maxDuration>}: over it, the rule refuses.
 * {@code 0s} means off.
 *
 * @param value the longest it may last, zero when off
 * @param mode  enforce or only observe
 */
public record DurationLimit(Duration value, Mode mode) implements RuleSettings {

    public DurationLimit {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(mode, "mode");
        if (value.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + value);
        }
    }

    /** Enforced at {@code value}. */
    public static DurationLimit of(Duration value) {
        return new DurationLimit(value, Mode.ENFORCE);
    }

    public static RuleElement.Reader<DurationLimit> reader() {
        return element -> {
            element.allowAttributes(ConfigValues.MODE);
            return new DurationLimit(element.value(Durations::parse), ConfigValues.mode(element));
        };
    }

    @Override
    public boolean enabled() {
        return !value.isZero();
    }

    @Override
    public Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("enabled", enabled());
        view.put("limit", Durations.format(value));
        view.put("mode", ConfigValues.text(mode));
        return view;
    }
}
