package io.github.smtpshield.policy;

/**
 * Where the policy counts what it did, one counter per rule and outcome. The James adapter publishes them
 * through James's {@code MetricFactory} (so they appear in WebAdmin's {@code GET /metrics}).
 */
public interface ShieldMetrics {
    ShieldMetrics NONE = (rule, outcome) -> {};

    /** What a rule did with one event it would have refused, or could not decide. */
    enum Outcome {
        /** Refused (enforce mode). */
        REJECTED,
        /** Only logged (observe mode). */
        OBSERVED,
        /** The store could not decide (Redis down or slow): let through or refused per {@code onFailure}. */
        STORE_UNAVAILABLE
    }

    /** One more of {@code outcome} for the rule named {@code rule} (its element name, such as {@code maxMessagesPerHour}). */
    void count(String rule, Outcome outcome);

    /**
     * One more DNSBL screening outcome ({@code screening}: blocked, passed, cached) or zone answer ({@code zone_<zone>}:
     * listed, unlisted, failed).
     */
    default void screening(String what, String outcome) {}
}
