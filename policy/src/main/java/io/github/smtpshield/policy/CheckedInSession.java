package io.github.smtpshield.policy;

/**
 * How the SMTP adapter tells the mailets that a mail came through a guarded listener, where the session already held
 * it to the policy's caps ({@code <maxMessageSize>}, {@code <maxRecipientsPerMessage>}): a mail attribute of that name
 * whose value is the message's size as the session counted it (a {@code Long}, RFC 1870's count: the client's bytes,
 * before James adds its {@code Received:} field). The cap matchers do not judge such mail again against the same cap,
 * and measure its size as the session did; {@code RejectWithDsn} sends no DSN for it when its client was
 * unauthenticated and outside {@code <authorizedAddresses>} (its sender may be forged: backscatter).
 */
public final class CheckedInSession {
    public static final String ATTRIBUTE = "io.github.smtpshield.checked-in-session";

    private CheckedInSession() {}
}
