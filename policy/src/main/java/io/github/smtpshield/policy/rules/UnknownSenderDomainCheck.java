package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.Reply;
import io.github.smtpshield.policy.SmtpEvent.MailFrom;
import io.github.smtpshield.policy.config.Check;
import io.github.smtpshield.policy.config.RuleElement;
import io.github.smtpshield.policy.dns.ClientDns;
import io.github.smtpshield.policy.dns.SenderDomainLookup;
import io.github.smtpshield.policy.dns.SenderDomainVerdict;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Kerio's "block if sender's domain was not found in DNS" ({@code <dns><rejectUnknownSenderDomain>}). Looks up: the
 * domain of the MAIL FROM address (never the null sender's; an address literal passes) for MX, else A/AAAA, at most
 * two lookup rounds within one {@code <dns timeout>} in all. Answers at MAIL FROM: {@code 550 5.1.8} (no such domain, no records), {@code 550 5.7.27} (null
 * MX, RFC 7505), {@code 450 4.1.8} when DNS did not answer: never a permanent refusal then.
 */
public final class UnknownSenderDomainCheck extends Rule {
    public static final RuleElement<Check> ELEMENT = new RuleElement<>(
            "dns",
            "rejectUnknownSenderDomain",
            "block if the sender's domain is not in DNS",
            Check.READER,
            Check.off());
    public static final RuleType<Check> TYPE = new RuleType<>(ELEMENT, UnknownSenderDomainCheck::new);

    /** The sender's domain does not exist in DNS, or has neither MX nor address record. */
    public static final Refusal UNKNOWN_SENDER_DOMAIN = new Refusal(
            ELEMENT.name(),
            "sender domain not found in DNS",
            Reply.of("550", "5.1.8", "Sender address rejected: domain not found in DNS"));

    /** The sender's domain publishes a null MX (RFC 7505 X.7.27): it accepts no mail, so no reply could reach it. */
    public static final Refusal NULL_MX_SENDER_DOMAIN = new Refusal(
            ELEMENT.name(),
            "sender domain accepts no mail (null MX)",
            Reply.of("550", "5.7.27", "Sender address rejected: domain accepts no mail (null MX)"));

    /** DNS did not tell (timeout, SERVFAIL) whether the sender's domain exists: try again later. */
    public static final Refusal SENDER_DOMAIN_UNVERIFIED = new Refusal(
            ELEMENT.name(),
            "sender domain could not be checked in DNS",
            Reply.of("450", "4.1.8", "Sender domain could not be checked in DNS, try again later"));

    private final ClientDns dns;
    private final Duration bound;

    private UnknownSenderDomainCheck(Check settings, RuleContext context) {
        super(ELEMENT, settings, UNKNOWN_SENDER_DOMAIN, NULL_MX_SENDER_DOMAIN, SENDER_DOMAIN_UNVERIFIED);
        // The whole wait of the command: the attacker who picks the name must not pick how long it lasts
        this.bound = context.config().dns().timeout();
        this.dns = context.dns();
        if (settings.enabled()) {
            looksUp(MailFrom.class, this::mailFrom);
        }
    }

    private CompletableFuture<Optional<Violation>> mailFrom(ClientConnection client, MailFrom event) {
        if (event.senderDomain().isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        String domain = event.senderDomain().get();
        CompletableFuture<SenderDomainVerdict> verdict = new SenderDomainLookup(dns.of(client.key())).check(domain);
        if (verdict.isDone() && !verdict.isCompletedExceptionally()) {
            return CompletableFuture.completedFuture(judge(domain, verdict.join())); // from the cache
        }
        return verdict.completeOnTimeout(SenderDomainVerdict.TEMPORARY_FAILURE, bound.toNanos(), TimeUnit.NANOSECONDS)
                .thenApply(found -> judge(domain, found));
    }

    private static Optional<Violation> judge(String domain, SenderDomainVerdict verdict) {
        return switch (verdict) {
            case OK -> Optional.empty(); // nearly every MAIL FROM: no detail built
            case UNKNOWN_DOMAIN -> Violation.of(UNKNOWN_SENDER_DOMAIN, detail(domain));
            case NULL_MX -> Violation.of(NULL_MX_SENDER_DOMAIN, detail(domain));
            case TEMPORARY_FAILURE -> Violation.of(SENDER_DOMAIN_UNVERIFIED, detail(domain));
        };
    }

    private static String detail(String domain) {
        return " (domain " + domain + ")";
    }
}
