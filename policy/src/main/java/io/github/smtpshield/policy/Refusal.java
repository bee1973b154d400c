package io.github.smtpshield.policy;

/**
 * What the shield refuses, in its own words. The policy answers with a refusal; the SMTP adapter turns it
 * into a reply (code, enhanced status, whether the connection closes) in one table.
 */
public enum Refusal {
    /** The client has as many connections open as it may. */
    TOO_MANY_CONNECTIONS(Rule.MAX_CONCURRENT_CONNECTIONS, "too many concurrent connections"),
    /** The client's key is blocked (a directory harvest, or an operator's block). */
    BLOCKED(Rule.MAX_UNKNOWN_RECIPIENTS, "blocked"),
    /** This unknown recipient exceeded the harvest limit: the client is blocked from now on. */
    DIRECTORY_HARVEST(Rule.MAX_UNKNOWN_RECIPIENTS, "directory harvest attack"),
    /** The client's hourly message budget is spent. */
    TOO_MUCH_MAIL(Rule.MAX_MESSAGES_PER_HOUR, "too many messages per hour"),
    /**
     * The shared per-IP store (Redis) could not decide and {@code <store onFailure="closed">}: no limit is skipped.
     * It belongs to no one rule (it stands for rules 2–4), so its {@link #rule()} is null.
     */
    STORE_UNAVAILABLE(null, "per-IP store unavailable");

    private final Rule rule;
    private final String reason;

    Refusal(Rule rule, String reason) {
        this.rule = rule;
        this.reason = reason;
    }

    /** The rule that refuses; null for {@link #STORE_UNAVAILABLE}. */
    public Rule rule() {
        return rule;
    }

    /** The reason in the security log's words, e.g. "directory harvest attack". */
    public String reason() {
        return reason;
    }
}
