package io.github.smtpshield.policy;

/**
 * What James's own recipient checks refuse on a guarded listener. They belong to no rule of the registry (no element,
 * no limit, no observe mode: James decides), but they are refusals like the rules' ones, so the SMTP adapters write
 * them to the security log through {@link Enforcement#refusedByJames}.
 */
public final class RecipientChecks {
    /**
     * Relay control (Kerio's first rule): a recipient outside the local domains from a client that neither
     * authenticated nor is in {@code <authorizedAddresses>}. The shield answers it, with or without TLS: James's own
     * {@code 530 5.7.1 Authentication Required} after STARTTLS tells a remote MX to authenticate at a foreign server.
     */
    public static final Refusal RELAYING_DENIED =
            new Refusal("relay", "relaying denied", Reply.of("550", "5.7.1", "Relaying denied"));

    /** An address of a local domain that has no mailbox: James's recipient validation answers it ({@code 550 5.1.1}). */
    public static final Refusal UNKNOWN_RECIPIENT =
            new Refusal("recipient", "unknown recipient", Reply.of("550", "5.1.1", "Unknown user"));

    private RecipientChecks() {}
}
