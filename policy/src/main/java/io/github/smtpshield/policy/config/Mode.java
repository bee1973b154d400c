package io.github.smtpshield.policy.config;

/**
 * Whether a rule acts or only watches. Set with {@code mode="observe"} on any rule element;
 * {@code enforce} is the default.
 */
public enum Mode {
    /** The rule rejects what breaks it. */
    ENFORCE,
    /** The rule logs what it would have rejected and rejects nothing: for trying a limit on live traffic. */
    OBSERVE
}
