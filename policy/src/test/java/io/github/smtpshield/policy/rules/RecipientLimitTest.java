package io.github.smtpshield.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.Rule;
import io.github.smtpshield.policy.ShieldMetrics.Outcome;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import org.junit.jupiter.api.Test;

class RecipientLimitTest {
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final ClientConnection client = Clients.client("192.0.2.10");

    @Test
    void theRecipientAfterTheLimitIsRefused() {
        RecipientLimit rule = new RecipientLimit(new Limit(100, Mode.ENFORCE), metrics.enforcement());

        assertThat(rule.recipient(client, 0)).isEmpty();
        assertThat(rule.recipient(client, 99)).as("the 100th recipient").isEmpty();
        assertThat(rule.recipient(client, 100)).as("the 101st recipient").contains(Refusal.TOO_MANY_RECIPIENTS);
        assertThat(rule.recipient(client, 100))
                .as("the 102nd, still 100 accepted")
                .contains(Refusal.TOO_MANY_RECIPIENTS);
        assertThat(metrics.counts())
                .containsOnly(new RecordingMetrics.Count(Rule.MAX_RECIPIENTS_PER_MESSAGE, Outcome.REJECTED))
                .hasSize(2);
    }

    @Test
    void observeModeAcceptsAndCountsEachRecipientOver() {
        RecipientLimit rule = new RecipientLimit(new Limit(1, Mode.OBSERVE), metrics.enforcement());

        assertThat(rule.recipient(client, 0)).isEmpty();
        assertThat(rule.recipient(client, 1)).isEmpty();
        assertThat(rule.recipient(client, 2)).isEmpty();
        assertThat(metrics.counts())
                .containsOnly(new RecordingMetrics.Count(Rule.MAX_RECIPIENTS_PER_MESSAGE, Outcome.OBSERVED))
                .hasSize(2);
    }

    @Test
    void off() {
        RecipientLimit rule = new RecipientLimit(Limit.off(), metrics.enforcement());

        assertThat(rule.recipient(client, 100_000)).isEmpty();
    }
}
