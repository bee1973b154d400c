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
    /** This failed command is one more than the session may have: the session is closed. */
    TOO_MANY_FAILED_COMMANDS(Rule.MAX_FAILED_COMMANDS, "too many failed commands"),
    /** The message already has as many recipients as it may: this one is to be sent again in another message. */
    TOO_MANY_RECIPIENTS(Rule.MAX_RECIPIENTS_PER_MESSAGE, "too many recipients"),
    /** The message is larger than the limit (as declared at MAIL FROM, or as received in DATA). */
    MESSAGE_TOO_BIG(Rule.MAX_MESSAGE_SIZE, "message size exceeds the limit"),
    /** The sender's domain does not exist in DNS, or has neither MX nor address record. */
    UNKNOWN_SENDER_DOMAIN(Rule.REJECT_UNKNOWN_SENDER_DOMAIN, "sender domain not found in DNS"),
    /** The sender's domain publishes a null MX (RFC 7505): it accepts no mail, so no reply could reach it. */
    NULL_MX_SENDER_DOMAIN(Rule.REJECT_UNKNOWN_SENDER_DOMAIN, "sender domain accepts no mail (null MX)"),
    /** DNS did not tell (timeout, SERVFAIL) whether the sender's domain exists: try again later. */
    SENDER_DOMAIN_UNVERIFIED(Rule.REJECT_UNKNOWN_SENDER_DOMAIN, "sender domain could not be checked in DNS"),
    /** The client's address has no reverse DNS (PTR). */
    NO_PTR(Rule.REJECT_CLIENT_WITHOUT_PTR, "client has no reverse DNS (PTR)"),
    /** DNS did not tell (timeout, SERVFAIL) whether the client's address has a PTR: try again later. */
    PTR_UNVERIFIED(Rule.REJECT_CLIENT_WITHOUT_PTR, "client reverse DNS could not be checked"),
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
