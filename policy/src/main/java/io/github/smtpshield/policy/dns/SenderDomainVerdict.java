package io.github.smtpshield.policy.dns;

/** Whether the domain of a sender address can receive mail, as far as DNS tells (RFC 5321 §5.1). */
public enum SenderDomainVerdict {
    /** The domain has an MX, or an address (A/AAAA) standing in for one; or it is an address literal. */
    OK,
    /** The domain says it accepts no mail (RFC 7505 null MX): replies to the sender cannot be delivered. */
    NULL_MX,
    /** The domain does not exist, has neither MX nor address, or is not a domain name at all. */
    UNKNOWN_DOMAIN,
    /** DNS did not answer (timeout, SERVFAIL): the domain may be fine, ask the client to retry later. */
    TEMPORARY_FAILURE
}
