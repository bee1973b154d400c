package io.github.smtpshield.policy.dns;

import java.util.Objects;
import java.util.Optional;

/**
 * What reverse DNS says about a client address.
 *
 * @param outcome  whether the address has a PTR record
 * @param hostname the name the PTR points to, without trailing dot; present exactly when {@code outcome} is HAS_PTR
 */
public record ReverseDnsVerdict(Outcome outcome, Optional<String> hostname) {

    /** The outcomes of a PTR lookup. */
    public enum Outcome {
        /** The address has a PTR record. */
        HAS_PTR,
        /** The reverse name does not exist, or has no PTR record. */
        NO_PTR,
        /** DNS did not answer (timeout, SERVFAIL): the client may well have a PTR. */
        TEMPORARY_FAILURE
    }

    public ReverseDnsVerdict {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(hostname, "hostname");
        if ((outcome == Outcome.HAS_PTR) != hostname.isPresent()) {
            throw new IllegalArgumentException(outcome + " with hostname " + hostname);
        }
    }

    public static ReverseDnsVerdict hasPtr(String hostname) {
        return new ReverseDnsVerdict(Outcome.HAS_PTR, Optional.of(hostname));
    }

    public static ReverseDnsVerdict noPtr() {
        return new ReverseDnsVerdict(Outcome.NO_PTR, Optional.empty());
    }

    public static ReverseDnsVerdict temporaryFailure() {
        return new ReverseDnsVerdict(Outcome.TEMPORARY_FAILURE, Optional.empty());
    }
}
