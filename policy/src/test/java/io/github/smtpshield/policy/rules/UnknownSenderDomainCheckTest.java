package io.github.smtpshield.policy.rules;

import static io.github.smtpshield.policy.rules.RecordingMetrics.on;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
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
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

class UnknownSenderDomainCheckTest {
    private static final Duration TIMEOUT = Duration.ofMillis(200);
    private static final String RULE = UnknownSenderDomainCheck.ELEMENT.name();

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final ClientConnection client = Clients.client("192.0.2.10");
    private final FakeDns dns = new FakeDns()
            .mx("example.test", "mail.example.test")
            .nullMx("nomail.test")
            .answer("broken.test", Type.MX, DnsAnswer.servfail())
            .silent("slow.test", Type.MX);

    private Shield shield(Mode mode) {
        return metrics.shield(
                ShieldConfig.defaults()
                        .with(new DnsSettings(TIMEOUT, List.of()))
                        .with(UnknownSenderDomainCheck.ELEMENT, new Check(true, mode)),
                dns);
    }

    private Optional<Refusal> mailFrom(Shield shield, String domain) {
        return on(shield, client, new MailFrom(Optional.of(domain)));
    }

    @Test
    void answersEachVerdictWithItsRefusal() {
        Shield shield = shield(Mode.ENFORCE);

        assertThat(mailFrom(shield, "example.test")).isEmpty();
        assertThat(mailFrom(shield, "[192.0.2.1]")).as("address literal").isEmpty();
        assertThat(mailFrom(shield, "nowhere.test")).contains(UnknownSenderDomainCheck.UNKNOWN_SENDER_DOMAIN);
        assertThat(mailFrom(shield, "nomail.test")).contains(UnknownSenderDomainCheck.NULL_MX_SENDER_DOMAIN);
        assertThat(mailFrom(shield, "broken.test")).contains(UnknownSenderDomainCheck.SENDER_DOMAIN_UNVERIFIED);
        assertThat(metrics.counts()).hasSize(3).allMatch(count -> count.rule().equals(RULE));
    }

    @Test
    void theNullSenderIsNotLookedUp() {
        assertThat(on(shield(Mode.ENFORCE), client, new MailFrom(Optional.empty())))
                .isEmpty();
        assertThat(dns.lookups()).isZero();
    }

    @Test
    void aLookupThatNeverEndsIsATemporaryFailureWithinTheTimeout() {
        Shield shield = shield(Mode.ENFORCE);
        long start = System.nanoTime();

        Optional<Refusal> refusal = mailFrom(shield, "slow.test");

        assertThat(refusal).contains(UnknownSenderDomainCheck.SENDER_DOMAIN_UNVERIFIED);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusSeconds(2));
    }

    @Test
    void aClientWhoseLookupFailedIsAnsweredAtOnceForAWhileAndOnlyIt() {
        Shield shield = shield(Mode.ENFORCE);
        assertThat(mailFrom(shield, "broken.test")).contains(UnknownSenderDomainCheck.SENDER_DOMAIN_UNVERIFIED);
        int asked = dns.lookups();

        assertThat(mailFrom(shield, "nowhere.test")).contains(UnknownSenderDomainCheck.SENDER_DOMAIN_UNVERIFIED);
        assertThat(dns.lookups()).as("not asked: its trouble is remembered").isEqualTo(asked);
        assertThat(on(shield, Clients.client("192.0.2.11"), new MailFrom(Optional.of("nowhere.test"))))
                .as("another client")
                .contains(UnknownSenderDomainCheck.UNKNOWN_SENDER_DOMAIN);
    }

    @Test
    void lookupsStartedAheadOfTheEventAreTakenOverByIt() {
        Shield shield = shield(Mode.ENFORCE);
        MailFrom slow = new MailFrom(Optional.of("slow.test"));

        CompletableFuture<Void> ahead = shield.lookUp(client, slow);
        assertThat(ahead).isNotDone();
        assertThat(shield.lookUp(client, slow)).as("the same lookups").isSameAs(ahead);
        assertThat(ahead).succeedsWithin(TIMEOUT.plusSeconds(2));

        assertThat(shield.on(client, slow))
                .isCompletedWithValue(Optional.of(UnknownSenderDomainCheck.SENDER_DOMAIN_UNVERIFIED));
        assertThat(dns.lookups()).isEqualTo(1);
        assertThat(shield.lookUp(client, new MailFrom(Optional.empty())))
                .as("nothing to look up")
                .isDone();
    }

    @Test
    void onlyMailFromLooksUpAndOnlyWhileTheCheckIsOn() {
        assertThat(shield(Mode.ENFORCE).looksUp(MailFrom.class)).isTrue();
        assertThat(shield(Mode.ENFORCE).looksUp(SmtpEvent.Recipient.class)).isFalse();

        Shield off = metrics.shield(
                ShieldConfig.defaults().with(UnknownSenderDomainCheck.ELEMENT, new Check(false, Mode.ENFORCE)), dns);
        assertThat(off.looksUp(MailFrom.class)).isFalse();
        assertThat(off.lookUp(client, new MailFrom(Optional.of("slow.test")))).isDone();
        assertThat(dns.lookups()).isZero();
    }

    @Test
    void observeModeRefusesNothing() {
        Shield shield = shield(Mode.OBSERVE);

        assertThat(mailFrom(shield, "nowhere.test")).isEmpty();
        assertThat(metrics.counts()).containsExactly(new RecordingMetrics.Count(RULE, Outcome.OBSERVED));
    }
}
