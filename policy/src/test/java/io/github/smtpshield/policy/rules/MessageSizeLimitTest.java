package io.github.smtpshield.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.Rule;
import io.github.smtpshield.policy.ShieldMetrics.Outcome;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import org.junit.jupiter.api.Test;

class MessageSizeLimitTest {
    private static final long LIMIT = 25 * 1024 * 1024;

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final ClientConnection client = Clients.client("192.0.2.10");

    @Test
    void allowsTheLimitToTheByte() {
        MessageSizeLimit rule = new MessageSizeLimit(new Limit(LIMIT, Mode.ENFORCE), metrics.enforcement());

        assertThat(rule.exceeds(LIMIT)).isFalse();
        assertThat(rule.exceeds(LIMIT + 1)).isTrue();
        assertThat(rule.declared(client, LIMIT)).isEmpty();
        assertThat(rule.received(client, LIMIT)).isEmpty();
        assertThat(metrics.counts()).isEmpty();
    }

    @Test
    void refusesADeclaredOrReceivedSizeOverTheLimit() {
        MessageSizeLimit rule = new MessageSizeLimit(new Limit(LIMIT, Mode.ENFORCE), metrics.enforcement());

        assertThat(rule.declared(client, LIMIT + 1)).contains(Refusal.MESSAGE_TOO_BIG);
        assertThat(rule.received(client, LIMIT + 1)).contains(Refusal.MESSAGE_TOO_BIG);
        assertThat(metrics.counts())
                .containsOnly(new RecordingMetrics.Count(Rule.MAX_MESSAGE_SIZE, Outcome.REJECTED))
                .hasSize(2);
    }

    @Test
    void advertisesTheLimitItEnforces() {
        assertThat(new MessageSizeLimit(new Limit(LIMIT, Mode.ENFORCE), metrics.enforcement()).advertised())
                .hasValue(LIMIT);
        assertThat(new MessageSizeLimit(Limit.off(), metrics.enforcement()).advertised())
                .isEmpty();
    }

    @Test
    void observeModeAdvertisesNothingAndRefusesNothing() {
        MessageSizeLimit rule = new MessageSizeLimit(new Limit(LIMIT, Mode.OBSERVE), metrics.enforcement());

        assertThat(rule.advertised()).isEmpty();
        assertThat(rule.exceeds(LIMIT + 1)).isTrue();
        assertThat(rule.declared(client, LIMIT + 1)).isEmpty();
        assertThat(rule.received(client, LIMIT + 1)).isEmpty();
        assertThat(metrics.counts())
                .containsOnly(new RecordingMetrics.Count(Rule.MAX_MESSAGE_SIZE, Outcome.OBSERVED))
                .hasSize(2);
    }

    @Test
    void offNeverExceeds() {
        MessageSizeLimit rule = new MessageSizeLimit(Limit.off(), metrics.enforcement());

        assertThat(rule.exceeds(Long.MAX_VALUE)).isFalse();
        assertThat(rule.declared(client, Long.MAX_VALUE)).isEmpty();
    }
}
