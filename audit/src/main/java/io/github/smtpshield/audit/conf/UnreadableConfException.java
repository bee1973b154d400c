package io.github.smtpshield.audit.conf;

/** The conf folder, or a file needed in it, cannot be read; the message is one line naming it. */
public final class UnreadableConfException extends Exception {
    private static final long serialVersionUID = 1L;

    public UnreadableConfException(String message) {
        super(message);
    }

    public UnreadableConfException(String message, Throwable cause) {
        super(message, cause);
    }
}
