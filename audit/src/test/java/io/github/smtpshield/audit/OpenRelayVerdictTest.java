package io.github.smtpshield.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.audit.conf.SmtpListener;
import org.junit.jupiter.api.Test;

/** One verdict, worded for the start-up guard (the README's line) and for the audit. */
class OpenRelayVerdictTest {
    private static SmtpListener listener(String authorizedAddresses) {
        return new SmtpListener(
                "smtpserver-global", "0.0.0.0:25", false, true, true, authorizedAddresses, 0, true, false);
    }

    @Test
    void anOpenListenerIsRefusedWithTheReadmeLine() {
        OpenRelayVerdict verdict = OpenRelayVerdict.of(listener("0.0.0.0/0"));

        assertThat(verdict.open()).isTrue();
        assertThat(verdict.refusal("smtpserver.xml"))
                .isEqualTo(
                        "smtpserver.xml: <smtpserver> 'smtpserver-global' (0.0.0.0:25) would be an open relay:"
                                + " <authorizedAddresses> '0.0.0.0/0' lets every address relay without authentication. Set"
                                + " <authorizedAddresses> to your own networks (for example 127.0.0.0/8), or set"
                                + " <relay><allowOpenRelay>true</allowOpenRelay></relay> in smtpshield.xml to run an open relay anyway.");
        assertThat(verdict.finding())
                .isEqualTo("'0.0.0.0/0' lets every address relay without authentication; set <authorizedAddresses> to"
                        + " your own networks (for example 127.0.0.0/8)");
    }

    @Test
    void aClosedListenerSaysWhoRelays() {
        assertThat(OpenRelayVerdict.of(listener("127.0.0.0/8")).open()).isFalse();
        assertThat(OpenRelayVerdict.of(listener("127.0.0.0/8")).finding())
                .isEqualTo("smtpserver-global (0.0.0.0:25) relays only for authenticated users and '127.0.0.0/8'");
        assertThat(OpenRelayVerdict.of(listener("")).finding())
                .isEqualTo("smtpserver-global (0.0.0.0:25) relays only for authenticated users");
    }

    @Test
    void rangesThatTogetherCoverEveryAddressAreOpen() {
        assertThat(OpenRelayVerdict.of(listener("0.0.0.0/1, 128.0.0.0/1")).open())
                .isTrue();
        assertThat(OpenRelayVerdict.of(listener("::/0")).open()).isTrue();
    }
}
