package io.github.smtpshield.policy.store;

/**
 * A remote store (Redis) could not decide within its bounded timeout: it is down, unreachable or too slow. The
 * decision was not taken; whether the client goes through or is refused is the caller's business
 * ({@code <store onFailure="open|closed">}). The memory store never throws it.
 */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
