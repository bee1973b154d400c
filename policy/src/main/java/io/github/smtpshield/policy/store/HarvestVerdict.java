package io.github.smtpshield.policy.store;

/** The store's answer to one unknown recipient. */
public enum HarvestVerdict {
    /** Counted (or the rule is off): answer the unknown recipient as such, the session goes on. */
    UNDER_LIMIT,
    /** This unknown recipient exceeded the limit and started a {@link Block#HARVEST} block: end the session. */
    BLOCK_STARTED,
    /** This unknown recipient exceeded the limit, but the caller asked for no block (observe mode). */
    LIMIT_EXCEEDED,
    /** The client key was already blocked (another of its sessions started the block): end the session. */
    ALREADY_BLOCKED
}
