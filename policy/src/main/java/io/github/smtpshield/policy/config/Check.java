package io.github.smtpshield.policy.config;

import java.util.Objects;

/**
 * An on/off DNS check such as {@code <rejectClientWithoutPtr>true</rejectClientWithoutPtr>}.
 *
 * @param enabled whether the check runs (absent means off)
 * @param mode    enforce or only observe
 */
public record Check(boolean enabled, Mode mode) {

    private static final Check OFF = new Check(false, Mode.ENFORCE);

    public Check {
        Objects.requireNonNull(mode, "mode");
    }

    public static Check off() {
        return OFF;
    }
}
