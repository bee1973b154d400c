package io.github.smtpshield.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.Rule;
import io.github.smtpshield.policy.ShieldMetrics.Outcome;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import org.junit.jupiter.api.Test;

class FailedCommandLimitTest {
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final ClientConnection client = Clients.client("192.0.2.10");

    @Test
    void allowsTheLimitAndRefusesTheFailedCommandAfterIt() {
        FailedCommandLimit rule = new FailedCommandLimit(new Limit(3, Mode.ENFORCE), metrics.enforcement());

        for (int i = 1; i <= 3; i++) {
            assertThat(rule.commandFailed(client)).as("failed command %d", i).isEmpty();
        }
        assertThat(metrics.counts()).isEmpty();

        assertThat(rule.commandFailed(client)).contains(Refusal.TOO_MANY_FAILED_COMMANDS);
        assertThat(metrics.counts())
                .containsExactly(new RecordingMetrics.Count(Rule.MAX_FAILED_COMMANDS, Outcome.REJECTED));
    }

    @Test
    void countsPerConnection() {
        FailedCommandLimit rule = new FailedCommandLimit(new Limit(1, Mode.ENFORCE), metrics.enforcement());
        ClientConnection sameClientOtherConnection = Clients.client("192.0.2.10");

        assertThat(rule.commandFailed(client)).isEmpty();
        assertThat(rule.commandFailed(sameClientOtherConnection)).isEmpty();
        assertThat(rule.commandFailed(client)).contains(Refusal.TOO_MANY_FAILED_COMMANDS);
    }

    @Test
    void observeModeRefusesNothingAndLogsTheFirstOneOverOnce() {
        FailedCommandLimit rule = new FailedCommandLimit(new Limit(2, Mode.OBSERVE), metrics.enforcement());

        for (int i = 1; i <= 6; i++) {
            assertThat(rule.commandFailed(client)).as("failed command %d", i).isEmpty();
        }
        assertThat(metrics.counts())
                .containsExactly(new RecordingMetrics.Count(Rule.MAX_FAILED_COMMANDS, Outcome.OBSERVED));
    }

    @Test
    void offCountsNothing() {
        FailedCommandLimit rule = new FailedCommandLimit(Limit.off(), metrics.enforcement());

        for (int i = 0; i < 100; i++) {
            assertThat(rule.commandFailed(client)).isEmpty();
        }
        assertThat(client.failedCommands()).isZero();
    }
}
