package io.github.smtpshield.policy;

/** An operator asked to block an address of an exempt network: exempt clients are never blocked. */
public final class ExemptClientException extends Exception {
    private static final long serialVersionUID = 1L;

    ExemptClientException(String message) {
        super(message);
    }
}
