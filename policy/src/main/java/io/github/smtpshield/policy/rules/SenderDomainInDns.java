package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Enforcement;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.config.Check;
import io.github.smtpshield.policy.dns.SenderDomainCheck;
import io.github.smtpshield.policy.dns.SenderDomainVerdict;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Kerio's "block if sender's domain was not found in DNS". Looks up: the domain of the MAIL FROM address (never
 * the null sender's; an address literal passes) for MX, else A/AAAA. Answers at MAIL FROM:
 * {@link Refusal#UNKNOWN_SENDER_DOMAIN} (no such domain, no records), {@link Refusal#NULL_MX_SENDER_DOMAIN}
 * (RFC 7505), {@link Refusal#SENDER_DOMAIN_UNVERIFIED} when DNS did not answer: never a permanent refusal then.
 */
public final class SenderDomainInDns {
    private final Check check;
    private final SenderDomainCheck domains;
    private final Duration bound;
    private final Enforcement enforcement;

    /** @param timeout the DNS timeout; a check takes at most two lookup rounds, so at most twice that */
    public SenderDomainInDns(Check check, SenderDomainCheck domains, Duration timeout, Enforcement enforcement) {
        this.check = check;
        this.domains = domains;
        this.bound = timeout.multipliedBy(2);
        this.enforcement = enforcement;
    }

    public boolean enabled() {
        return check.enabled();
    }

    /** The longest {@link #lookUp} may take: two lookup rounds. */
    public Duration bound() {
        return bound;
    }

    /** Starts the lookup; the future completes within {@link #bound()}, normally. */
    public CompletableFuture<SenderDomainVerdict> lookUp(String domain) {
        return domains.check(domain)
                .completeOnTimeout(SenderDomainVerdict.TEMPORARY_FAILURE, bound.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The answer to MAIL FROM for what DNS said about the sender's domain. */
    public Optional<Refusal> judge(ClientConnection client, String domain, SenderDomainVerdict verdict) {
        Refusal refusal = switch (verdict) {
            case OK -> null;
            case UNKNOWN_DOMAIN -> Refusal.UNKNOWN_SENDER_DOMAIN;
            case NULL_MX -> Refusal.NULL_MX_SENDER_DOMAIN;
            case TEMPORARY_FAILURE -> Refusal.SENDER_DOMAIN_UNVERIFIED;
        };
        if (refusal == null) {
            return Optional.empty();
        }
        return enforcement.refuse(check.mode(), client, refusal, " (domain " + domain + ")");
    }
}
