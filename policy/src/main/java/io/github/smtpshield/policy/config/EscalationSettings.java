package io.github.smtpshield.policy.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code <escalation factor="2" max="30d" memory="30d"/>}: a key blocked again within {@code memory} of its previous
 * block's start gets {@code factor} times the previous length, at most {@code max}. Off when absent.
 *
 * @param enabled whether the element is present
 * @param factor  the growth from one block to the next, at least 1 (default 2)
 * @param max     the longest block (default 30d)
 * @param memory  how long a block's start is remembered (default 30d)
 * @param mode    enforce, or observe: blocks keep their first length (the offences are still counted)
 */
public record EscalationSettings(boolean enabled, double factor, Duration max, Duration memory, Mode mode)
        implements RuleSettings {

    public static final double DEFAULT_FACTOR = 2;
    public static final Duration DEFAULT_MAX = Duration.ofDays(30);
    public static final Duration DEFAULT_MEMORY = Duration.ofDays(30);

    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,6}(\\.[0-9]{1,3})?");
    private static final EscalationSettings OFF =
            new EscalationSettings(false, DEFAULT_FACTOR, DEFAULT_MAX, DEFAULT_MEMORY, Mode.ENFORCE);

    public static final RuleElement.Reader<EscalationSettings> READER = element -> {
        element.allowAttributes(ConfigValues.MODE, "factor", "max", "memory");
        element.value(text -> {
            if (!text.isEmpty()) {
                throw new IllegalArgumentException("takes attributes only, no text: '" + text + "'");
            }
            return text;
        });
        return new EscalationSettings(
                true,
                element.attribute("factor", EscalationSettings::factor).orElse(DEFAULT_FACTOR),
                element.attribute("max", ConfigValues::positiveDuration).orElse(DEFAULT_MAX),
                element.attribute("memory", ConfigValues::positiveDuration).orElse(DEFAULT_MEMORY),
                ConfigValues.mode(element));
    };

    public EscalationSettings {
        if (!(factor >= 1)) {
            throw new IllegalArgumentException("factor must be at least 1: " + factor);
        }
        Durations.requirePositive(max, "max");
        Durations.requirePositive(memory, "memory");
        Objects.requireNonNull(mode, "mode");
    }

    public static EscalationSettings off() {
        return OFF;
    }

    private static double factor(String text) {
        if (!DECIMAL.matcher(text).matches() || Double.parseDouble(text) < 1) {
            throw new IllegalArgumentException("not a factor of at least 1 (2, 1.5): '" + text + "'");
        }
        return Double.parseDouble(text);
    }

    @Override
    public Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("enabled", enabled);
        view.put("factor", factor);
        view.put("max", Durations.format(max));
        view.put("memory", Durations.format(memory));
        view.put("mode", ConfigValues.text(mode));
        return view;
    }
}
