package io.github.smtpshield.audit;

import io.github.smtpshield.audit.conf.MailetContainer;
import io.github.smtpshield.audit.conf.SmtpListener;
import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.net.JamesAddressList;
import io.github.smtpshield.policy.net.NetworkSet;
import java.util.List;

/**
 * The checklist's relay items: open relay, relay without authentication, AUTH offered without TLS, PROXY headers
 * believed from untrusted peers (which claim relay rights).
 */
final class RelayItems {
    private static final String SMTPSERVER = SmtpListener.FILE;
    private static final String MAILETCONTAINER = MailetContainer.FILE;
    private static final String RELAY_WITHOUT_AUTHENTICATION = "relay without authentication";
    private static final NetworkSet LOCAL_AND_PRIVATE = NetworkSet.parse(
            "127.0.0.0/8, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, 169.254.0.0/16, ::1/128, fc00::/7, fe80::/10");

    private RelayItems() {}

    static void openRelay(SmtpListener listener, Findings findings) {
        OpenRelayVerdict verdict = OpenRelayVerdict.of(listener);
        findings.add(
                verdict.open() ? Verdict.FAIL : Verdict.OK,
                "open relay",
                verdict.finding(),
                SMTPSERVER,
                listener.element() + " <authorizedAddresses>");
    }

    static void relayForOutsiders(SmtpListener listener, Findings findings) {
        String element = listener.element() + " <authorizedAddresses>";
        NetworkSet authorized = JamesAddressList.parse(listener.authorizedAddresses());
        if (authorized.coversEverything()) {
            return; // reported as an open relay
        }
        List<IpPrefix> publicRanges = authorized.ranges().stream()
                .filter(range -> !withinLocalOrPrivate(range))
                .toList();
        if (authorized.ranges().isEmpty()) {
            findings.add(
                    Verdict.OK,
                    RELAY_WITHOUT_AUTHENTICATION,
                    listener.name() + ": nobody relays without authentication",
                    SMTPSERVER,
                    element);
        } else if (publicRanges.isEmpty()) {
            findings.add(
                    Verdict.OK,
                    RELAY_WITHOUT_AUTHENTICATION,
                    listener.name() + ": only loopback or private networks relay without authentication",
                    SMTPSERVER,
                    element);
        } else {
            findings.add(
                    Verdict.WARN,
                    RELAY_WITHOUT_AUTHENTICATION,
                    listener.name() + ": public networks relay without authentication: " + NetworkSet.of(publicRanges)
                            + "; make sure they are yours, or remove them and let those clients authenticate",
                    SMTPSERVER,
                    element);
        }
    }

    private static boolean withinLocalOrPrivate(IpPrefix range) {
        return LOCAL_AND_PRIVATE.ranges().stream().anyMatch(privateRange -> privateRange.contains(range));
    }

    static void relayInMailetContainer(MailetContainer mailets, Findings findings) {
        List<MailetContainer.Mailet> unguarded = mailets.unguardedRelayPaths();
        if (unguarded.isEmpty()) {
            findings.add(
                    Verdict.OK,
                    RELAY_WITHOUT_AUTHENTICATION,
                    "mail reaches RemoteDelivery only through a matcher (such as SMTPAuthSuccessful, SMTPIsAuthNetwork)",
                    MAILETCONTAINER,
                    mailets.remoteDeliveries().isEmpty() ? "<processors>" : "<processor state=\"transport\">");
        }
        for (MailetContainer.Mailet mailet : unguarded) {
            findings.add(
                    Verdict.FAIL,
                    RELAY_WITHOUT_AUTHENTICATION,
                    "all mail, authenticated or not, goes to remote delivery; match it with SMTPAuthSuccessful,"
                            + " SMTPIsAuthNetwork (as the shipped relay-allowed matcher does) and send the rest to a bouncing processor",
                    MAILETCONTAINER,
                    mailet.where());
        }
    }

    static void authWithoutTls(SmtpListener listener, Findings findings) {
        String item = "AUTH offered without TLS";
        String element = listener.element() + " <auth><requireSSL>";
        if (!listener.authAnnounced()) {
            findings.add(Verdict.OK, item, listener.name() + " offers no AUTH", SMTPSERVER, element);
        } else if (listener.socketTls()) {
            findings.add(Verdict.OK, item, listener.name() + " speaks TLS from the first byte", SMTPSERVER, element);
        } else if (listener.authRequiresTls()) {
            findings.add(Verdict.OK, item, listener.name() + " offers AUTH only after STARTTLS", SMTPSERVER, element);
        } else {
            findings.add(
                    Verdict.FAIL,
                    item,
                    listener.name() + " offers AUTH before STARTTLS: passwords cross the network in clear;"
                            + " set <requireSSL>true</requireSSL>",
                    SMTPSERVER,
                    element);
        }
    }

    static void proxyFromUntrustedPeers(SmtpListener listener, NetworkSet trustedProxies, Findings findings) {
        if (!listener.proxyRequired()) {
            return; // no header to believe
        }
        ProxyTrustVerdict verdict = ProxyTrustVerdict.of(listener, trustedProxies);
        findings.add(
                verdict.untrusted() ? Verdict.FAIL : Verdict.OK,
                "PROXY protocol from untrusted peers",
                verdict.finding(trustedProxies),
                verdict.untrusted() ? PolicyItems.FILE : SMTPSERVER,
                verdict.untrusted() ? "<trustedProxies>" : listener.element() + " <proxyRequired>");
    }
}
