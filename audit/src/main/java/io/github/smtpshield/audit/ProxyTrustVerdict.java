package io.github.smtpshield.audit;

import io.github.smtpshield.audit.conf.SmtpListener;
import io.github.smtpshield.policy.net.NetworkSet;

/**
 * A listener with {@code <proxyRequired>} believes the PROXY-protocol header of its peer: the client address it names,
 * and the relay rights James computes from it. Unless {@code smtpshield.xml} lists the proxies whose header is
 * believed ({@code <trustedProxies>}), any client can connect directly and claim to be 127.0.0.1. The one verdict, and
 * its words, for the audit's item and the start-up guard.
 *
 * @param listener  the listener judged
 * @param untrusted it requires the PROXY protocol and no proxy is trusted
 */
public record ProxyTrustVerdict(SmtpListener listener, boolean untrusted) {
    private static final String FIX = "list your proxies' addresses in <trustedProxies> (top level of smtpshield.xml)";

    public static ProxyTrustVerdict of(SmtpListener listener, NetworkSet trustedProxies) {
        return new ProxyTrustVerdict(
                listener, listener.proxyRequired() && trustedProxies.ranges().isEmpty());
    }

    /** The audit's words, for a listener that requires the PROXY protocol. */
    public String finding(NetworkSet trustedProxies) {
        if (untrusted) {
            return listener.name() + " trusts the PROXY header of any peer: a client that connects directly can claim"
                    + " any address, relay rights included; " + FIX;
        }
        return listener.name() + " believes the PROXY header of " + trustedProxies + " only";
    }

    /** The start-up guard's line for an untrusted listener of {@code file}, with the fix. */
    public String refusal(String file) {
        return file + ": " + listener.element() + " (" + listener.bind() + ") has <proxyRequired>true</proxyRequired>"
                + " but smtpshield.xml lists no <trustedProxies>: any client could claim any address. "
                + Character.toUpperCase(FIX.charAt(0)) + FIX.substring(1) + ".";
    }
}
