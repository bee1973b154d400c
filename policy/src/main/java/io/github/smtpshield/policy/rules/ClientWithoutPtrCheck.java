package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.Reply;
import io.github.smtpshield.policy.SessionState;
import io.github.smtpshield.policy.SmtpEvent.Connect;
import io.github.smtpshield.policy.SmtpEvent.MailFrom;
import io.github.smtpshield.policy.config.Check;
import io.github.smtpshield.policy.config.RuleElement;
import io.github.smtpshield.policy.dns.ClientDns;
import io.github.smtpshield.policy.dns.ReverseDnsLookup;
import io.github.smtpshield.policy.dns.ReverseDnsVerdict;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Kerio's "block if client's IP address has no reverse DNS record (PTR)" ({@code <dns><rejectClientWithoutPtr>}).
 * Looks up: the client's PTR, once per connection, started at connect (the greeting does not wait for it). Answers at
 * MAIL FROM: {@code 550 5.7.25} (no such name, or no PTR), {@code 450 4.7.25} when DNS did not answer: never a
 * permanent refusal then.
 */
public final class ClientWithoutPtrCheck extends Rule {
    public static final RuleElement<Check> ELEMENT = new RuleElement<>(
            "dns",
            "rejectClientWithoutPtr",
            "block if the client IP has no reverse DNS (PTR)",
            Check.READER,
            Check.off());
    public static final RuleType<Check> TYPE = new RuleType<>(ELEMENT, ClientWithoutPtrCheck::new);

    /** The client's address has no reverse DNS (PTR). RFC 7372 X.7.25 "Reverse DNS validation failed". */
    public static final Refusal NO_PTR = new Refusal(
            ELEMENT.name(),
            "client has no reverse DNS (PTR)",
            Reply.of("550", "5.7.25", "Client address %s has no reverse DNS (PTR)"));

    /** DNS did not tell (timeout, SERVFAIL) whether the client's address has a PTR: try again later. */
    public static final Refusal PTR_UNVERIFIED = new Refusal(
            ELEMENT.name(),
            "client reverse DNS could not be checked",
            Reply.of("450", "4.7.25", "Reverse DNS of %s could not be checked, try again later"));

    /** The lookup started at connect, answered at MAIL FROM. */
    private static final SessionState<AtomicReference<CompletableFuture<ReverseDnsVerdict>>> LOOKUP =
            SessionState.of(AtomicReference::new);

    private final ClientDns dns;
    private final Duration timeout;

    private ClientWithoutPtrCheck(Check settings, RuleContext context) {
        super(ELEMENT, settings, NO_PTR, PTR_UNVERIFIED);
        this.timeout = context.config().dns().timeout();
        this.dns = context.dns();
        if (settings.enabled()) {
            judges(Connect.class, this::connect);
            looksUp(MailFrom.class, this::mailFrom);
        }
    }

    /** Starts the lookup and keeps it with the connection; it completes within the DNS timeout. */
    private Optional<Violation> connect(ClientConnection client, Connect event) {
        client.state(LOOKUP).set(lookUp(client));
        return Optional.empty();
    }

    /** The answer of the lookup started at connect (started now if none was). */
    private CompletableFuture<Optional<Violation>> mailFrom(ClientConnection client, MailFrom event) {
        CompletableFuture<ReverseDnsVerdict> lookup =
                client.state(LOOKUP).updateAndGet(started -> started != null ? started : lookUp(client));
        if (lookup.isDone() && !lookup.isCompletedExceptionally()) {
            return CompletableFuture.completedFuture(judge(lookup.join())); // answered since the connect
        }
        return lookup.thenApply(ClientWithoutPtrCheck::judge);
    }

    private static Optional<Violation> judge(ReverseDnsVerdict verdict) {
        return switch (verdict) {
            case HAS_PTR -> Optional.empty();
            case NO_PTR -> Violation.of(NO_PTR, "");
            case TEMPORARY_FAILURE -> Violation.of(PTR_UNVERIFIED, "");
        };
    }

    private CompletableFuture<ReverseDnsVerdict> lookUp(ClientConnection client) {
        return new ReverseDnsLookup(dns.of(client.key()))
                .lookup(client.address())
                .completeOnTimeout(ReverseDnsVerdict.TEMPORARY_FAILURE, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
