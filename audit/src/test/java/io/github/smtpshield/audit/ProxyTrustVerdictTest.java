package io.github.smtpshield.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.audit.conf.SmtpListener;
import io.github.smtpshield.policy.net.NetworkSet;
import org.junit.jupiter.api.Test;

/** One verdict, worded for the start-up guard (the README's line) and for the audit. */
class ProxyTrustVerdictTest {
    private static SmtpListener listener(boolean proxyRequired) {
        return new SmtpListener(
                "smtpserver-global", "0.0.0.0:25", false, true, true, "127.0.0.0/8", 0, true, proxyRequired);
    }

    @Test
    void aProxyListenerWithoutTrustedProxiesIsRefusedWithTheReadmeLine() {
        ProxyTrustVerdict verdict = ProxyTrustVerdict.of(listener(true), NetworkSet.empty());

        assertThat(verdict.untrusted()).isTrue();
        assertThat(verdict.refusal("smtpserver.xml"))
                .isEqualTo("smtpserver.xml: <smtpserver> 'smtpserver-global' (0.0.0.0:25) has"
                        + " <proxyRequired>true</proxyRequired> but smtpshield.xml lists no <trustedProxies>: any client"
                        + " could claim any address. List your proxies' addresses in <trustedProxies> (top level of"
                        + " smtpshield.xml).");
        assertThat(verdict.finding(NetworkSet.empty()))
                .startsWith("smtpserver-global trusts the PROXY header of any peer");
    }

    @Test
    void trustedProxiesOrNoProxyProtocolPass() {
        NetworkSet proxies = NetworkSet.parse("10.0.0.10/32");

        assertThat(ProxyTrustVerdict.of(listener(true), proxies).untrusted()).isFalse();
        assertThat(ProxyTrustVerdict.of(listener(true), proxies).finding(proxies))
                .isEqualTo("smtpserver-global believes the PROXY header of 10.0.0.10/32 only");
        assertThat(ProxyTrustVerdict.of(listener(false), NetworkSet.empty()).untrusted())
                .isFalse();
    }
}
