package io.github.smtpshield.policy.rules;

import static io.github.smtpshield.policy.rules.RecordingMetrics.on;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.ShieldMetrics.Outcome;
import io.github.smtpshield.policy.SmtpEvent.DeclaredSize;
import io.github.smtpshield.policy.SmtpEvent.MessageData;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import org.junit.jupiter.api.Test;

class MessageSizeLimitTest {
    private static final long LIMIT = 25 * 1024 * 1024;
    private static final String RULE = MessageSizeLimit.ELEMENT.name();

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final ClientConnection client = Clients.client("192.0.2.10");

    private Shield shield(Limit limit) {
        return metrics.shield(MessageSizeLimit.ELEMENT, limit);
    }

    @Test
    void allowsTheLimitToTheByte() {
        Shield shield = shield(new Limit(LIMIT, Mode.ENFORCE));
        MessageSizeLimit rule = shield.rule(MessageSizeLimit.class);

        assertThat(rule.exceeds(LIMIT)).isFalse();
        assertThat(rule.exceeds(LIMIT + 1)).isTrue();
        assertThat(on(shield, client, new DeclaredSize(LIMIT))).isEmpty();
        assertThat(on(shield, client, new MessageData(LIMIT))).isEmpty();
        assertThat(metrics.counts()).isEmpty();
    }

    @Test
    void refusesADeclaredOrReceivedSizeOverTheLimit() {
        Shield shield = shield(new Limit(LIMIT, Mode.ENFORCE));

        assertThat(on(shield, client, new DeclaredSize(LIMIT + 1))).contains(MessageSizeLimit.MESSAGE_TOO_BIG);
        assertThat(on(shield, client, new MessageData(LIMIT + 1))).contains(MessageSizeLimit.MESSAGE_TOO_BIG);
        assertThat(metrics.counts())
                .containsOnly(new RecordingMetrics.Count(RULE, Outcome.REJECTED))
                .hasSize(2);
    }

    @Test
    void advertisesTheLimitItEnforces() {
        assertThat(shield(new Limit(LIMIT, Mode.ENFORCE))
                        .rule(MessageSizeLimit.class)
                        .advertised())
                .hasValue(LIMIT);
        assertThat(shield(Limit.off()).rule(MessageSizeLimit.class).advertised())
                .isEmpty();
    }

    @Test
    void observeModeAdvertisesNothingAndRefusesNothing() {
        Shield shield = shield(new Limit(LIMIT, Mode.OBSERVE));
        MessageSizeLimit rule = shield.rule(MessageSizeLimit.class);

        assertThat(rule.advertised()).isEmpty();
        assertThat(rule.exceeds(LIMIT + 1)).isTrue();
        assertThat(on(shield, client, new DeclaredSize(LIMIT + 1))).isEmpty();
        assertThat(on(shield, client, new MessageData(LIMIT + 1))).isEmpty();
        assertThat(metrics.counts())
                .containsOnly(new RecordingMetrics.Count(RULE, Outcome.OBSERVED))
                .hasSize(2);
    }

    @Test
    void offNeverExceeds() {
        Shield shield = shield(Limit.off());

        assertThat(shield.rule(MessageSizeLimit.class).exceeds(Long.MAX_VALUE)).isFalse();
        assertThat(on(shield, client, new DeclaredSize(Long.MAX_VALUE))).isEmpty();
    }
}
