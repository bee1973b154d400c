package io.github.smtpshield.policy.rules;

import static io.github.smtpshield.policy.rules.RecordingMetrics.on;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.ShieldMetrics.Outcome;
import io.github.smtpshield.policy.SmtpEvent;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import org.junit.jupiter.api.Test;

class FailedCommandLimitTest {
    private static final String RULE = FailedCommandLimit.ELEMENT.name();

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final ClientConnection client = Clients.client("192.0.2.10");

    private Shield shield(Limit limit) {
        return metrics.shield(FailedCommandLimit.ELEMENT, limit);
    }

    @Test
    void allowsTheLimitAndRefusesTheFailedCommandAfterIt() {
        Shield shield = shield(new Limit(3, Mode.ENFORCE));

        for (int i = 1; i <= 3; i++) {
            assertThat(on(shield, client, SmtpEvent.COMMAND_FAILED))
                    .as("failed command %d", i)
                    .isEmpty();
        }
        assertThat(metrics.counts()).isEmpty();

        assertThat(on(shield, client, SmtpEvent.COMMAND_FAILED)).contains(FailedCommandLimit.TOO_MANY_FAILED_COMMANDS);
        assertThat(metrics.counts()).containsExactly(new RecordingMetrics.Count(RULE, Outcome.REJECTED));
    }

    @Test
    void countsPerConnection() {
        Shield shield = shield(new Limit(1, Mode.ENFORCE));
        ClientConnection sameClientOtherConnection = Clients.client("192.0.2.10");

        assertThat(on(shield, client, SmtpEvent.COMMAND_FAILED)).isEmpty();
        assertThat(on(shield, sameClientOtherConnection, SmtpEvent.COMMAND_FAILED))
                .isEmpty();
        assertThat(on(shield, client, SmtpEvent.COMMAND_FAILED)).contains(FailedCommandLimit.TOO_MANY_FAILED_COMMANDS);
    }

    @Test
    void observeModeRefusesNothingAndLogsTheFirstOneOverOnce() {
        Shield shield = shield(new Limit(2, Mode.OBSERVE));

        for (int i = 1; i <= 6; i++) {
            assertThat(on(shield, client, SmtpEvent.COMMAND_FAILED))
                    .as("failed command %d", i)
                    .isEmpty();
        }
        assertThat(metrics.counts()).containsExactly(new RecordingMetrics.Count(RULE, Outcome.OBSERVED));
    }

    @Test
    void offCountsNothing() {
        Shield shield = shield(Limit.off());

        for (int i = 0; i < 100; i++) {
            assertThat(on(shield, client, SmtpEvent.COMMAND_FAILED)).isEmpty();
        }
        assertThat(shield.rule(FailedCommandLimit.class).handlers())
                .as("nothing to count with")
                .isEmpty();
    }
}
