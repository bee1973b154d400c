package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Enforcement;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.config.Check;
import io.github.smtpshield.policy.dns.ReverseDnsCheck;
import io.github.smtpshield.policy.dns.ReverseDnsVerdict;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Kerio's "block if client's IP address has no reverse DNS record (PTR)". Looks up: the client's PTR, once per
 * connection, started at connect (the greeting does not wait for it). Answers at MAIL FROM: {@link Refusal#NO_PTR}
 * (no such name, or no PTR), {@link Refusal#PTR_UNVERIFIED} when DNS did not answer: never a permanent refusal then.
 */
public final class ClientReverseDns {
    private final Check check;
    private final ReverseDnsCheck reverse;
    private final Duration timeout;
    private final Enforcement enforcement;

    public ClientReverseDns(Check check, ReverseDnsCheck reverse, Duration timeout, Enforcement enforcement) {
        this.check = check;
        this.reverse = reverse;
        this.timeout = timeout;
        this.enforcement = enforcement;
    }

    /** Connect: starts the lookup and keeps it with the connection; it completes within the DNS timeout. */
    public void connected(ClientConnection client) {
        if (check.enabled()) {
            client.reverseDns(lookUp(client));
        }
    }

    /** MAIL FROM: the answer for the lookup started at connect (started now if none was). */
    public CompletableFuture<Optional<Refusal>> mailFrom(ClientConnection client) {
        if (!check.enabled()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return client.reverseDns().orElseGet(() -> lookUp(client)).thenApply(verdict -> judge(client, verdict));
    }

    private CompletableFuture<ReverseDnsVerdict> lookUp(ClientConnection client) {
        return reverse.lookup(client.address())
                .completeOnTimeout(ReverseDnsVerdict.temporaryFailure(), timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private Optional<Refusal> judge(ClientConnection client, ReverseDnsVerdict verdict) {
        Refusal refusal = switch (verdict.outcome()) {
            case HAS_PTR -> null;
            case NO_PTR -> Refusal.NO_PTR;
            case TEMPORARY_FAILURE -> Refusal.PTR_UNVERIFIED;
        };
        if (refusal == null) {
            return Optional.empty();
        }
        return enforcement.refuse(check.mode(), client, refusal, "");
    }
}
