package io.github.smtpshield.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.RefusalHistory.ClientRefusals;
import io.github.smtpshield.policy.RefusalHistory.RuleRefusals;
import io.github.smtpshield.policy.config.HarvestLimit;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.rules.ConnectionLimit;
import io.github.smtpshield.policy.rules.UnknownRecipientLimit;
import io.github.smtpshield.policy.store.MemoryClientStore;
import io.github.smtpshield.policy.store.MutableClock;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console's per-minute ring: what it counts, how it forgets, and its bound. */
class RefusalHistoryTest {
    private static final Instant NOON = Instant.parse("2026-12-02T12:00:30Z");
    private final MutableClock clock = new MutableClock(NOON);
    private final RefusalHistory history = new RefusalHistory(clock);

    private static IpPrefix key(String ip) {
        return IpPrefix.parse(ip, 32, 64);
    }

    @Test
    void countsPerMinutePerRuleAndForgetsAfterAnHour() {
        history.record("maxUnknownRecipients", false, key("203.0.113.5"));
        history.record("maxUnknownRecipients", false, key("203.0.113.5"));
        clock.advance(Duration.ofMinutes(1));
        history.record("maxConcurrentConnections", true, key("203.0.113.6"));

        assertThat(history.minutes()).hasSize(60);
        RefusalHistory.Minute last = history.minutes().get(59);
        assertThat(last.start()).isEqualTo(Instant.parse("2026-12-02T12:01:00Z"));
        assertThat(last.observed()).isEqualTo(Map.of("maxConcurrentConnections", 1L));
        assertThat(history.minutes().get(58).refused()).isEqualTo(Map.of("maxUnknownRecipients", 2L));
        assertThat(history.lastHourByRule())
                .containsEntry("maxUnknownRecipients", new RuleRefusals(2, 0))
                .containsEntry("maxConcurrentConnections", new RuleRefusals(0, 1));

        clock.advance(Duration.ofMinutes(59));
        assertThat(history.lastHourByRule()).containsOnlyKeys("maxConcurrentConnections");
        assertThat(history.topClients(10)).containsExactly(new ClientRefusals(key("203.0.113.6"), 0, 1));

        clock.advance(Duration.ofMinutes(1));
        assertThat(history.lastHourByRule()).isEmpty();
        assertThat(history.topClients(10)).isEmpty();
        assertThat(history.minutes())
                .allSatisfy(minute -> assertThat(minute.refused()).isEmpty());
    }

    @Test
    void aSlotReusedAnHourLaterStartsFromZero() {
        history.record("maxMessagesPerHour", false, key("203.0.113.5"));
        clock.advance(Duration.ofHours(1));
        history.record("maxMessagesPerHour", false, key("203.0.113.7"));

        assertThat(history.lastHourByRule()).containsExactly(Map.entry("maxMessagesPerHour", new RuleRefusals(1, 0)));
        assertThat(history.topClients(10)).containsExactly(new ClientRefusals(key("203.0.113.7"), 1, 0));
    }

    @Test
    void topClientsAreTheMostRefusedFirstAndAMinuteHoldsABoundedNumberOfClients() {
        for (int i = 0; i < RefusalHistory.CLIENTS_PER_MINUTE + 50; i++) {
            history.record("maxUnknownRecipients", false, key("10.0." + (i / 256) + "." + (i % 256)));
        }
        history.record("maxUnknownRecipients", false, key("10.0.0.9"));
        history.record("maxUnknownRecipients", true, key("10.0.0.9"));
        history.record("maxUnknownRecipients", false, key("10.0.0.3"));

        assertThat(history.topClients(2))
                .containsExactly(new ClientRefusals(key("10.0.0.9"), 2, 1), new ClientRefusals(key("10.0.0.3"), 2, 0));
        assertThat(history.topClients(Integer.MAX_VALUE)).hasSize(RefusalHistory.CLIENTS_PER_MINUTE);
        // Every refusal counts for its rule, the clients beyond the bound too.
        assertThat(history.lastHourByRule().get("maxUnknownRecipients"))
                .isEqualTo(new RuleRefusals(RefusalHistory.CLIENTS_PER_MINUTE + 52, 1));
    }

    @Test
    void theShieldFeedsItFromTheRefusalPathInEitherMode() throws Exception {
        ShieldConfig config = ShieldConfig.defaults()
                .with(ConnectionLimit.ELEMENT, new Limit(1, Mode.OBSERVE))
                .with(
                        UnknownRecipientLimit.ELEMENT,
                        new HarvestLimit(1, Duration.ofHours(1), Duration.ofHours(1), Mode.ENFORCE));
        try (MemoryClientStore store = MemoryClientStore.builder().build()) {
            Shield shield = new Shield(config, store, new Enforcement(new SecurityLog(), ShieldMetrics.NONE, history));
            InetAddress address = InetAddress.getByName("203.0.113.5");
            ClientConnection first = shield.connection(address);
            ClientConnection second = shield.connection(address);
            Events.connect(shield, first);
            Events.connect(shield, second);
            Events.unknownRecipient(shield, first);
            Events.unknownRecipient(shield, first);

            assertThat(shield.refusals().lastHourByRule())
                    .containsEntry("maxConcurrentConnections", new RuleRefusals(0, 1))
                    .containsEntry("maxUnknownRecipients", new RuleRefusals(1, 0));
            assertThat(shield.refusals().topClients(10)).containsExactly(new ClientRefusals(key("203.0.113.5"), 1, 1));
            assertThat(shield.storeHealth()).satisfies(health -> {
                assertThat(health.type()).isEqualTo("memory");
                assertThat(health.up()).isTrue();
            });
        }
    }
}
