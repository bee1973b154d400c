package io.github.smtpshield.policy.config;

import java.util.Objects;

/**
 * Limits within one SMTP session or message ({@code <session>}).
 *
 * @param maxFailedCommands       commands answered 4xx/5xx (except 452 4.5.3) before the session is closed
 * @param maxRecipientsPerMessage recipients accepted for one message
 * @param maxMessageSize          message size in bytes ({@code 25M} in the file)
 */
public record SessionLimits(Limit maxFailedCommands, Limit maxRecipientsPerMessage, Limit maxMessageSize) {

    private static final SessionLimits OFF = new SessionLimits(Limit.off(), Limit.off(), Limit.off());

    public SessionLimits {
        Objects.requireNonNull(maxFailedCommands, "maxFailedCommands");
        Objects.requireNonNull(maxRecipientsPerMessage, "maxRecipientsPerMessage");
        Objects.requireNonNull(maxMessageSize, "maxMessageSize");
    }

    public static SessionLimits off() {
        return OFF;
    }
}
