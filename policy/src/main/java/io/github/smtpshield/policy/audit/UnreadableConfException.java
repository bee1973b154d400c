package io.github.smtpshield.policy.audit;

/** The conf folder, or a file the audit needs in it, cannot be read: there is nothing to audit. */
public final class UnreadableConfException extends Exception {
    private static final long serialVersionUID = 1L;

    UnreadableConfException(String message) {
        super(message);
    }

    UnreadableConfException(String message, Throwable cause) {
        super(message, cause);
    }
}
