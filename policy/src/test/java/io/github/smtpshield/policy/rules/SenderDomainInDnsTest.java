package io.github.smtpshield.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.Rule;
import io.github.smtpshield.policy.ShieldMetrics.Outcome;
import io.github.smtpshield.policy.config.Check;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.dns.DnsAnswer;
import io.github.smtpshield.policy.dns.SenderDomainCheck;
import io.github.smtpshield.policy.dns.SenderDomainVerdict;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

class SenderDomainInDnsTest {
    private static final Duration TIMEOUT = Duration.ofMillis(200);

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final ClientConnection client = Clients.client("192.0.2.10");
    private final FakeDns dns = new FakeDns()
            .mx("example.test", "mail.example.test")
            .nullMx("nomail.test")
            .answer("broken.test", Type.MX, DnsAnswer.servfail())
            .silent("slow.test", Type.MX);

    private SenderDomainInDns rule(Mode mode) {
        return new SenderDomainInDns(new Check(true, mode), new SenderDomainCheck(dns), TIMEOUT, metrics.enforcement());
    }

    private Optional<Refusal> mailFrom(SenderDomainInDns rule, String domain) {
        return rule.judge(client, domain, rule.lookUp(domain).join());
    }

    @Test
    void answersEachVerdictWithItsRefusal() {
        SenderDomainInDns rule = rule(Mode.ENFORCE);

        assertThat(mailFrom(rule, "example.test")).isEmpty();
        assertThat(mailFrom(rule, "[192.0.2.1]")).as("address literal").isEmpty();
        assertThat(mailFrom(rule, "nowhere.test")).contains(Refusal.UNKNOWN_SENDER_DOMAIN);
        assertThat(mailFrom(rule, "nomail.test")).contains(Refusal.NULL_MX_SENDER_DOMAIN);
        assertThat(mailFrom(rule, "broken.test")).contains(Refusal.SENDER_DOMAIN_UNVERIFIED);
        assertThat(metrics.counts()).hasSize(3).allMatch(count -> count.rule() == Rule.REJECT_UNKNOWN_SENDER_DOMAIN);
    }

    @Test
    void aLookupThatNeverEndsIsATemporaryFailureWithinTwoTimeouts() {
        SenderDomainInDns rule = rule(Mode.ENFORCE);
        long start = System.nanoTime();

        SenderDomainVerdict verdict = rule.lookUp("slow.test").join();

        assertThat(verdict).isEqualTo(SenderDomainVerdict.TEMPORARY_FAILURE);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isLessThan(rule.bound().plusSeconds(2));
        assertThat(rule.bound()).isEqualTo(TIMEOUT.multipliedBy(2));
        assertThat(rule.judge(client, "slow.test", verdict)).contains(Refusal.SENDER_DOMAIN_UNVERIFIED);
    }

    @Test
    void observeModeRefusesNothing() {
        SenderDomainInDns rule = rule(Mode.OBSERVE);

        assertThat(mailFrom(rule, "nowhere.test")).isEmpty();
        assertThat(metrics.counts())
                .containsExactly(new RecordingMetrics.Count(Rule.REJECT_UNKNOWN_SENDER_DOMAIN, Outcome.OBSERVED));
    }
}
