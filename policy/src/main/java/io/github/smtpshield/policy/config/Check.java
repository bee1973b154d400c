package io.github.smtpshield.policy.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An on/off check such as {@code <rejectClientWithoutPtr>true</rejectClientWithoutPtr>}.
 *
 * @param enabled whether the check runs (absent means off)
 * @param mode    enforce or only observe
 */
public record Check(boolean enabled, Mode mode) implements RuleSettings {

    private static final Check OFF = new Check(false, Mode.ENFORCE);

    /** Reads {@code true} or {@code false}, with an optional {@code mode}. */
    public static final RuleElement.Reader<Check> READER = element -> {
        element.allowAttributes(ConfigValues.MODE);
        return new Check(element.value(ConfigValues::bool), ConfigValues.mode(element));
    };

    public Check {
        Objects.requireNonNull(mode, "mode");
    }

    public static Check off() {
        return OFF;
    }

    @Override
    public Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("enabled", enabled);
        view.put("mode", ConfigValues.text(mode));
        return view;
    }
}
