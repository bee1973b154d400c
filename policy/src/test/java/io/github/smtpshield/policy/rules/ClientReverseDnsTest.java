package io.github.smtpshield.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.Rule;
import io.github.smtpshield.policy.ShieldMetrics.Outcome;
import io.github.smtpshield.policy.config.Check;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.dns.DnsAnswer;
import io.github.smtpshield.policy.dns.ReverseDnsCheck;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

class ClientReverseDnsTest {
    private static final Duration TIMEOUT = Duration.ofMillis(200);

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final FakeDns dns = new FakeDns()
            .ptr("2.2.0.192.in-addr.arpa", "mail.example.test")
            .answer("4.2.0.192.in-addr.arpa", Type.PTR, DnsAnswer.servfail())
            .silent("5.2.0.192.in-addr.arpa", Type.PTR);

    private ClientReverseDns rule(Check check) {
        return new ClientReverseDns(check, new ReverseDnsCheck(dns), TIMEOUT, metrics.enforcement());
    }

    @Test
    void looksUpOnceAtConnectAndAnswersAtMailFrom() {
        ClientReverseDns rule = rule(new Check(true, Mode.ENFORCE));
        ClientConnection withPtr = Clients.client("192.0.2.2");

        rule.connected(withPtr);
        assertThat(withPtr.reverseDns()).isPresent();
        assertThat(rule.mailFrom(withPtr).join()).isEmpty();
        assertThat(rule.mailFrom(withPtr).join()).as("a second MAIL FROM").isEmpty();
        assertThat(dns.lookups()).isEqualTo(1);
    }

    @Test
    void noPtrIsPermanentAndAFailureTemporary() {
        ClientReverseDns rule = rule(new Check(true, Mode.ENFORCE));
        ClientConnection noPtr = Clients.client("192.0.2.3");
        ClientConnection servfail = Clients.client("192.0.2.4");
        rule.connected(noPtr);
        rule.connected(servfail);

        assertThat(rule.mailFrom(noPtr).join()).contains(Refusal.NO_PTR);
        assertThat(rule.mailFrom(servfail).join()).contains(Refusal.PTR_UNVERIFIED);
        assertThat(metrics.counts()).hasSize(2).allMatch(count -> count.rule() == Rule.REJECT_CLIENT_WITHOUT_PTR);
    }

    @Test
    void aLookupThatNeverEndsIsATemporaryFailureAfterTheTimeout() {
        ClientReverseDns rule = rule(new Check(true, Mode.ENFORCE));
        ClientConnection silent = Clients.client("192.0.2.5");
        rule.connected(silent);

        assertThat(rule.mailFrom(silent).join()).contains(Refusal.PTR_UNVERIFIED);
    }

    @Test
    void observeModeRefusesNothing() {
        ClientReverseDns rule = rule(new Check(true, Mode.OBSERVE));
        ClientConnection noPtr = Clients.client("192.0.2.3");
        rule.connected(noPtr);

        assertThat(rule.mailFrom(noPtr).join()).isEmpty();
        assertThat(metrics.counts())
                .containsExactly(new RecordingMetrics.Count(Rule.REJECT_CLIENT_WITHOUT_PTR, Outcome.OBSERVED));
    }

    @Test
    void offLooksNothingUp() {
        ClientReverseDns rule = rule(Check.off());
        ClientConnection noPtr = Clients.client("192.0.2.3");
        rule.connected(noPtr);

        assertThat(rule.mailFrom(noPtr).join()).isEmpty();
        assertThat(dns.lookups()).isZero();
    }
}
