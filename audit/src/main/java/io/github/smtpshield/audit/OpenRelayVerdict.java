package io.github.smtpshield.audit;

import io.github.smtpshield.audit.conf.SmtpListener;
import io.github.smtpshield.policy.net.JamesAddressList;

/**
 * Kerio's first rule: never run a public server as an open relay. A listener whose {@code <authorizedAddresses>}
 * (the clients that may relay without authenticating) cover every IPv4 or every IPv6 address relays for the whole
 * Internet. The one verdict, and its words, for the audit's "open relay" item and the start-up guard.
 *
 * @param listener the listener judged
 * @param open     its {@code <authorizedAddresses>} cover every address
 */
public record OpenRelayVerdict(SmtpListener listener, boolean open) {
    private static final String FIX = "set <authorizedAddresses> to your own networks (for example 127.0.0.0/8)";

    public static OpenRelayVerdict of(SmtpListener listener) {
        return new OpenRelayVerdict(
                listener, JamesAddressList.parse(listener.authorizedAddresses()).coversEverything());
    }

    /**
     * The audit's words: what lets everyone relay and what to do ({@code '0.0.0.0/0' lets every address relay ...;
     * set <authorizedAddresses> to ...}), or who relays ({@code smtpserver-global (0.0.0.0:25) relays only for
     * authenticated users and '127.0.0.0/8'}).
     */
    public String finding() {
        if (open) {
            return everyAddressRelays() + "; " + FIX;
        }
        String authorized = listener.authorizedAddresses();
        return listener.name() + " (" + listener.bind() + ") relays only for authenticated users"
                + (authorized.isBlank() ? "" : " and '" + authorized + "'");
    }

    /** The start-up guard's line for an open listener of {@code file}, with the fix and the way to start anyway. */
    public String refusal(String file) {
        return file + ": " + listener.element() + " (" + listener.bind() + ") would be an open relay:"
                + " <authorizedAddresses> " + everyAddressRelays() + ". " + Character.toUpperCase(FIX.charAt(0))
                + FIX.substring(1) + ", or set <relay><allowOpenRelay>true</allowOpenRelay></relay> in smtpshield.xml"
                + " to run an open relay anyway.";
    }

    private String everyAddressRelays() {
        return "'" + listener.authorizedAddresses() + "' lets every address relay without authentication";
    }
}
