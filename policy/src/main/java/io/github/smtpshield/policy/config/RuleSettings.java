package io.github.smtpshield.policy.config;

import java.util.Map;

/**
 * What one rule's element of {@code smtpshield.xml} says, as read by its {@link RuleElement}: whether the rule is on,
 * its mode, and its values.
 */
public interface RuleSettings {

    /** False when the element is absent, or its limit is {@code 0}, or its check {@code false}. */
    boolean enabled();

    Mode mode();

    /**
     * The settings as {@code GET /smtpshield/policy} shows them: the file's attribute names, durations as the file
     * writes them ({@code 1h}), sizes in bytes, every default filled in.
     */
    Map<String, Object> view();
}
