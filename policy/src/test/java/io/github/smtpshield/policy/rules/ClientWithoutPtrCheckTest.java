package io.github.smtpshield.policy.rules;

import static io.github.smtpshield.policy.rules.RecordingMetrics.on;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.ShieldMetrics.Outcome;
import io.github.smtpshield.policy.SmtpEvent;
import io.github.smtpshield.policy.SmtpEvent.MailFrom;
import io.github.smtpshield.policy.config.Check;
import io.github.smtpshield.policy.config.DnsSettings;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.dns.DnsAnswer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

class ClientWithoutPtrCheckTest {
    private static final Duration TIMEOUT = Duration.ofMillis(200);
    private static final String RULE = ClientWithoutPtrCheck.ELEMENT.name();
    private static final MailFrom MAIL_FROM = new MailFrom(Optional.empty());

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final FakeDns dns = new FakeDns()
            .ptr("2.2.0.192.in-addr.arpa", "mail.example.test")
            .answer("4.2.0.192.in-addr.arpa", Type.PTR, DnsAnswer.servfail())
            .silent("5.2.0.192.in-addr.arpa", Type.PTR);

    private Shield shield(Check check) {
        return metrics.shield(
                ShieldConfig.defaults()
                        .with(new DnsSettings(TIMEOUT, List.of()))
                        .with(ClientWithoutPtrCheck.ELEMENT, check),
                dns);
    }

    private static ClientConnection connected(Shield shield, String ip) {
        ClientConnection client = Clients.client(ip);
        assertThat(on(shield, client, SmtpEvent.CONNECT)).isEmpty();
        return client;
    }

    @Test
    void looksUpOnceAtConnectAndAnswersAtMailFrom() {
        Shield shield = shield(new Check(true, Mode.ENFORCE));
        ClientConnection withPtr = connected(shield, "192.0.2.2");

        assertThat(dns.lookups()).as("started at connect").isEqualTo(1);
        assertThat(on(shield, withPtr, MAIL_FROM)).isEmpty();
        assertThat(on(shield, withPtr, MAIL_FROM)).as("a second MAIL FROM").isEmpty();
        assertThat(dns.lookups()).isEqualTo(1);
    }

    @Test
    void noPtrIsPermanentAndAFailureTemporary() {
        Shield shield = shield(new Check(true, Mode.ENFORCE));
        ClientConnection noPtr = connected(shield, "192.0.2.3");
        ClientConnection servfail = connected(shield, "192.0.2.4");

        assertThat(on(shield, noPtr, MAIL_FROM)).contains(ClientWithoutPtrCheck.NO_PTR);
        assertThat(on(shield, servfail, MAIL_FROM)).contains(ClientWithoutPtrCheck.PTR_UNVERIFIED);
        assertThat(metrics.counts()).hasSize(2).allMatch(count -> count.rule().equals(RULE));
    }

    @Test
    void aLookupThatNeverEndsIsATemporaryFailureAfterTheTimeout() {
        Shield shield = shield(new Check(true, Mode.ENFORCE));
        ClientConnection silent = connected(shield, "192.0.2.5");

        assertThat(on(shield, silent, MAIL_FROM)).contains(ClientWithoutPtrCheck.PTR_UNVERIFIED);
    }

    @Test
    void aLookupIsStartedAtMailFromWhenNoneWasAtConnect() {
        Shield shield = shield(new Check(true, Mode.ENFORCE));

        assertThat(on(shield, Clients.client("192.0.2.3"), MAIL_FROM)).contains(ClientWithoutPtrCheck.NO_PTR);
    }

    @Test
    void observeModeRefusesNothing() {
        Shield shield = shield(new Check(true, Mode.OBSERVE));
        ClientConnection noPtr = connected(shield, "192.0.2.3");

        assertThat(on(shield, noPtr, MAIL_FROM)).isEmpty();
        assertThat(metrics.counts()).containsExactly(new RecordingMetrics.Count(RULE, Outcome.OBSERVED));
    }

    @Test
    void offLooksNothingUp() {
        Shield shield = shield(Check.off());
        ClientConnection noPtr = connected(shield, "192.0.2.3");

        assertThat(on(shield, noPtr, MAIL_FROM)).isEmpty();
        assertThat(dns.lookups()).isZero();
    }
}
