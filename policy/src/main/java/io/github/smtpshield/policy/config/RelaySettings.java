package io.github.smtpshield.policy.config;

/**
 * The open-relay start-up guard ({@code <relay>}).
 *
 * @param allowOpenRelay true only to start even though James's {@code authorizedAddresses} cover
 *                       every address (default false: refuse to start)
 */
public record RelaySettings(boolean allowOpenRelay) {

    private static final RelaySettings DEFAULTS = new RelaySettings(false);

    public static RelaySettings defaults() {
        return DEFAULTS;
    }
}
