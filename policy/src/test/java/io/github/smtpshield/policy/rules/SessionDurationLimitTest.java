package io.github.smtpshield.policy.rules;

import static io.github.smtpshield.policy.rules.RecordingMetrics.on;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.ShieldMetrics.Outcome;
import io.github.smtpshield.policy.SmtpEvent;
import io.github.smtpshield.policy.config.DurationLimit;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.net.IpPrefix;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionDurationLimitTest {
    private final RecordingMetrics metrics = new RecordingMetrics();

    @Test
    void aSessionOverItsMaximumAgeIsClosedWhoeverItsClientIs() throws Exception {
        Shield shield = metrics.shield(SessionDurationLimit.ELEMENT, DurationLimit.of(Duration.ofSeconds(90)));
        InetAddress address = InetAddress.getByName("192.0.2.10");
        ClientConnection exempt = new ClientConnection(address, IpPrefix.clientKey(address, 32, 64), true);

        assertThat(shield.rule(SessionDurationLimit.class).maxDuration()).contains(Duration.ofSeconds(90));
        assertThat(on(shield, exempt, SmtpEvent.SESSION_EXPIRED)).contains(SessionDurationLimit.SESSION_TOO_LONG);
        assertThat(SessionDurationLimit.SESSION_TOO_LONG.reply().line(address))
                .isEqualTo("4.4.2 Session time limit exceeded, closing connection");
        assertThat(SessionDurationLimit.SESSION_TOO_LONG.reply().closes()).isTrue();
        assertThat(metrics.counts())
                .containsExactly(new RecordingMetrics.Count(SessionDurationLimit.ELEMENT.name(), Outcome.REJECTED));
    }

    @Test
    void tenMinutesWhenAbsentAndNoTimerWhenOff() {
        Shield absent = metrics.shield(ShieldConfig.defaults(), null);
        Shield off = metrics.shield(SessionDurationLimit.ELEMENT, DurationLimit.of(Duration.ZERO));

        assertThat(absent.rule(SessionDurationLimit.class).maxDuration()).contains(Duration.ofMinutes(10));
        assertThat(off.rule(SessionDurationLimit.class).maxDuration()).isEmpty();
        assertThat(on(off, Clients.client("192.0.2.10"), SmtpEvent.SESSION_EXPIRED))
                .isEmpty();
    }

    @Test
    void observeModeOnlyLogs() {
        Shield shield =
                metrics.shield(SessionDurationLimit.ELEMENT, new DurationLimit(Duration.ofSeconds(1), Mode.OBSERVE));

        assertThat(on(shield, Clients.client("192.0.2.10"), SmtpEvent.SESSION_EXPIRED))
                .isEmpty();
        assertThat(metrics.counts())
                .containsExactly(new RecordingMetrics.Count(SessionDurationLimit.ELEMENT.name(), Outcome.OBSERVED));
    }
}
