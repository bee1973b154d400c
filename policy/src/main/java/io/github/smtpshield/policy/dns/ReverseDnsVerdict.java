package io.github.smtpshield.policy.dns;

/** What reverse DNS says about a client address. */
public enum ReverseDnsVerdict {
    /** The address has a PTR record. */
    HAS_PTR,
    /** The reverse name does not exist, or has no PTR record. */
    NO_PTR,
    /** DNS did not answer (timeout, SERVFAIL): the client may well have a PTR. */
    TEMPORARY_FAILURE
}
