package io.github.smtpshield.policy.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A numeric limit such as {@code <maxMessagesPerHour>200</maxMessagesPerHour>}. A limit of N allows N events; the one
 * that would be N+1 is refused. Absent or {@code 0} means off.
 *
 * @param value the limit (bytes for a message size), 0 when off
 * @param mode  enforce or only observe
 */
public record Limit(long value, Mode mode) implements RuleSettings {

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

    /** A limit whose value is a whole number. */
    public static RuleElement.Reader<Limit> count() {
        return reader(WholeNumber::parse);
    }

    /** A limit whose value is a size ({@code 25M}). */
    public static RuleElement.Reader<Limit> size() {
        return reader(DataSizes::parse);
    }

    private static RuleElement.Reader<Limit> reader(Function<String, Long> value) {
        return element -> {
            element.allowAttributes(ConfigValues.MODE);
            return new Limit(element.value(value), ConfigValues.mode(element));
        };
    }

    @Override
    public boolean enabled() {
        return value > 0;
    }

    /** Whether {@code amount} is over the limit: a limit of N allows N; an off limit allows anything. */
    public boolean exceededBy(long amount) {
        return enabled() && amount > value;
    }

    @Override
    public Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("enabled", enabled());
        view.put("limit", value);
        view.put("mode", ConfigValues.text(mode));
        return view;
    }
}
