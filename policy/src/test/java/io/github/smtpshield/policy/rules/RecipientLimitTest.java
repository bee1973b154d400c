package io.github.smtpshield.policy.rules;

import static io.github.smtpshield.policy.rules.RecordingMetrics.on;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.ShieldMetrics.Outcome;
import io.github.smtpshield.policy.SmtpEvent.Recipient;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import org.junit.jupiter.api.Test;

class RecipientLimitTest {
    private static final String RULE = RecipientLimit.ELEMENT.name();

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final ClientConnection client = Clients.client("192.0.2.10");

    @Test
    void theRecipientAfterTheLimitIsRefused() {
        Shield shield = metrics.shield(RecipientLimit.ELEMENT, new Limit(100, Mode.ENFORCE));

        assertThat(on(shield, client, new Recipient(0))).isEmpty();
        assertThat(on(shield, client, new Recipient(99)))
                .as("the 100th recipient")
                .isEmpty();
        assertThat(on(shield, client, new Recipient(100)))
                .as("the 101st recipient")
                .contains(RecipientLimit.TOO_MANY_RECIPIENTS);
        assertThat(on(shield, client, new Recipient(100)))
                .as("the 102nd, still 100 accepted")
                .contains(RecipientLimit.TOO_MANY_RECIPIENTS);
        assertThat(metrics.counts())
                .containsOnly(new RecordingMetrics.Count(RULE, Outcome.REJECTED))
                .hasSize(2);
    }

    @Test
    void observeModeAcceptsAndCountsEachRecipientOver() {
        Shield shield = metrics.shield(RecipientLimit.ELEMENT, new Limit(1, Mode.OBSERVE));

        assertThat(on(shield, client, new Recipient(0))).isEmpty();
        assertThat(on(shield, client, new Recipient(1))).isEmpty();
        assertThat(on(shield, client, new Recipient(2))).isEmpty();
        assertThat(metrics.counts())
                .containsOnly(new RecordingMetrics.Count(RULE, Outcome.OBSERVED))
                .hasSize(2);
    }

    @Test
    void off() {
        Shield shield = metrics.shield(RecipientLimit.ELEMENT, Limit.off());

        assertThat(on(shield, client, new Recipient(100_000))).isEmpty();
    }

    @Test
    void appliesToExemptClientsToo() {
        Shield shield = metrics.shield(RecipientLimit.ELEMENT, new Limit(1, Mode.ENFORCE));
        ClientConnection authenticated = Clients.client("192.0.2.11");
        authenticated.authenticated();

        assertThat(on(shield, authenticated, new Recipient(1))).contains(RecipientLimit.TOO_MANY_RECIPIENTS);
    }
}
