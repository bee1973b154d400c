package io.github.smtpshield.policy.relay;

import io.github.smtpshield.policy.net.JamesAddressList;
import java.util.List;

/**
 * Kerio's first rule: never run a public server as an open relay. A listener whose {@code authorizedAddresses}
 * (the clients that may relay without authenticating) cover every IPv4 or every IPv6 address relays for the
 * whole Internet; this check names each such listener and says how to fix it.
 */
public final class OpenRelayCheck {

    /** What the check needs to know of one SMTP listener. */
    public record Listener(String name, String bind, String authorizedAddresses) {}

    private OpenRelayCheck() {}

    /** One line per enabled listener that would relay for everyone; empty when none would. */
    public static List<String> openRelays(String file, List<Listener> enabledListeners) {
        return enabledListeners.stream()
                .filter(listener ->
                        JamesAddressList.parse(listener.authorizedAddresses()).coversEverything())
                .map(listener -> describe(file, listener))
                .toList();
    }

    private static String describe(String file, Listener listener) {
        return String.format(
                "%s: <smtpserver> '%s' (%s) would be an open relay: <authorizedAddresses> '%s' lets every address relay"
                        + " without authentication. Set <authorizedAddresses> to your own networks (for example 127.0.0.0/8),"
                        + " or set <relay><allowOpenRelay>true</allowOpenRelay></relay> in smtpshield.xml to run an open relay anyway.",
                file,
                listener.name(),
                listener.bind(),
                listener.authorizedAddresses().trim());
    }
}
