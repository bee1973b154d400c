package io.github.smtpshield.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.config.Exemptions;
import io.github.smtpshield.policy.config.HarvestLimit;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.config.PerIpLimits;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.config.StoreSettings;
import io.github.smtpshield.policy.net.NetworkSet;
import io.github.smtpshield.policy.store.ClientStore;
import io.github.smtpshield.policy.store.MemoryClientStore;
import io.github.smtpshield.policy.store.StoreUnavailableException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-IP rules through the facade, on the real memory store: limits at N and N+1, exemptions, observe mode. */
class ShieldTest {
    private final List<String> metrics = new ArrayList<>();
    private final MemoryClientStore store = MemoryClientStore.builder().build();

    @AfterEach
    void close() {
        store.close();
    }

    private Shield shield(Mode mode, boolean authenticatedUsersExempt) {
        PerIpLimits perIp = new PerIpLimits(
                32,
                64,
                1000,
                new Limit(2, mode),
                new Limit(2, mode),
                new HarvestLimit(2, Duration.ofHours(1), Duration.ofHours(1), mode));
        ShieldConfig defaults = ShieldConfig.defaults();
        ShieldConfig config = new ShieldConfig(
                new Exemptions(NetworkSet.parse("192.0.2.0/24"), authenticatedUsersExempt),
                perIp,
                defaults.session(),
                defaults.dns(),
                defaults.relay(),
                defaults.store());
        return new Shield(
                config,
                store,
                new Enforcement(new SecurityLog(), (rule, outcome) -> metrics.add(rule.configName() + " " + outcome)));
    }

    private static InetAddress ip(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void theConnectionOverTheLimitIsRefusedAndAReleasedSlotIsReused() {
        Shield shield = shield(Mode.ENFORCE, true);
        ClientConnection first = shield.connection(ip("203.0.113.5"));
        ClientConnection second = shield.connection(ip("203.0.113.5"));
        ClientConnection third = shield.connection(ip("203.0.113.5"));

        assertThat(shield.connect(first)).isEmpty();
        assertThat(shield.connect(second)).isEmpty();
        assertThat(shield.connect(third)).contains(Refusal.TOO_MANY_CONNECTIONS);

        shield.disconnected(third);
        shield.disconnected(first);
        shield.disconnected(first);
        assertThat(shield.connect(shield.connection(ip("203.0.113.5"))))
                .as("one slot free, released once")
                .isEmpty();
        assertThat(shield.connect(shield.connection(ip("203.0.113.5")))).contains(Refusal.TOO_MANY_CONNECTIONS);
        assertThat(metrics).containsOnly("maxConcurrentConnections REJECTED");
    }

    @Test
    void theHourlyBudgetRefusesTheMessageAfterTheNth() {
        Shield shield = shield(Mode.ENFORCE, true);
        ClientConnection client = shield.connection(ip("203.0.113.6"));
        shield.connect(client);

        for (int i = 0; i < 2; i++) {
            assertThat(shield.mailFrom(client)).isEmpty();
            shield.messageAccepted(client);
        }

        assertThat(shield.mailFrom(client)).contains(Refusal.TOO_MUCH_MAIL);
        assertThat(shield.mailFrom(shield.connection(ip("203.0.113.7"))))
                .as("another client")
                .isEmpty();
    }

    @Test
    void theUnknownRecipientOverTheLimitBlocksTheClientAtItsNextConnect() {
        Shield shield = shield(Mode.ENFORCE, true);
        ClientConnection client = shield.connection(ip("203.0.113.8"));
        shield.connect(client);

        assertThat(shield.unknownRecipient(client)).isEmpty();
        assertThat(shield.unknownRecipient(client)).isEmpty();
        assertThat(shield.unknownRecipient(client)).contains(Refusal.DIRECTORY_HARVEST);
        shield.disconnected(client);

        assertThat(shield.connect(shield.connection(ip("203.0.113.8")))).contains(Refusal.BLOCKED);
        assertThat(store.activeBlock(shield.keyOf(ip("203.0.113.8")))).isPresent();
    }

    @Test
    void anExemptNetworkWinsOverABlockAndIsNeverCounted() {
        Shield shield = shield(Mode.ENFORCE, true);
        store.block(shield.keyOf(ip("192.0.2.10")), "manual", Duration.ofHours(1));

        for (int i = 0; i < 5; i++) {
            ClientConnection client = shield.connection(ip("192.0.2.10"));
            assertThat(shield.connect(client)).isEmpty();
            assertThat(shield.mailFrom(client)).isEmpty();
            shield.messageAccepted(client);
            assertThat(shield.unknownRecipient(client)).isEmpty();
        }
        assertThat(store.counters(shield.keyOf(ip("192.0.2.10")), 2, 2, Duration.ofHours(1))
                        .connections())
                .isZero();
        assertThat(metrics).isEmpty();
    }

    @Test
    void authenticatedClientsAreExemptOnlyWhenTheConfigurationSaysSo() {
        ClientConnection exempt = authenticatedClientThatSentThreeMessages(shield(Mode.ENFORCE, true), "203.0.113.9");
        ClientConnection counted =
                authenticatedClientThatSentThreeMessages(shield(Mode.ENFORCE, false), "203.0.113.10");

        assertThat(shield(Mode.ENFORCE, true).mailFrom(exempt)).isEmpty();
        assertThat(shield(Mode.ENFORCE, false).mailFrom(counted)).contains(Refusal.TOO_MUCH_MAIL);
    }

    private ClientConnection authenticatedClientThatSentThreeMessages(Shield shield, String address) {
        ClientConnection client = shield.connection(ip(address));
        shield.connect(client);
        client.authenticated();
        for (int i = 0; i < 3; i++) {
            shield.messageAccepted(client);
        }
        return client;
    }

    @Test
    void observeModeRefusesNothingCountsEverythingAndNeverBlocks() {
        Shield shield = shield(Mode.OBSERVE, true);
        List<ClientConnection> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ClientConnection client = shield.connection(ip("203.0.113.11"));
            assertThat(shield.connect(client)).isEmpty();
            clients.add(client);
        }
        ClientConnection client = clients.get(0);
        for (int i = 0; i < 3; i++) {
            assertThat(shield.mailFrom(client)).isEmpty();
            shield.messageAccepted(client);
            assertThat(shield.unknownRecipient(client)).isEqualTo(Optional.empty());
        }

        assertThat(store.counters(client.key(), 2, 2, Duration.ofHours(1)).connections())
                .as("observed connections count")
                .isEqualTo(3);
        assertThat(store.activeBlock(client.key())).isEmpty();
        assertThat(metrics)
                .containsExactlyInAnyOrder(
                        "maxConcurrentConnections OBSERVED",
                        "maxMessagesPerHour OBSERVED",
                        "maxUnknownRecipients OBSERVED");
        clients.forEach(shield::disconnected);
        assertThat(store.counters(client.key(), 2, 2, Duration.ofHours(1)).connections())
                .isZero();
    }

    /** A store whose every call fails, as a Redis store does while Redis is down. */
    private static ClientStore unavailableStore() {
        return (ClientStore) java.lang.reflect.Proxy.newProxyInstance(
                ClientStore.class.getClassLoader(), new Class<?>[] {ClientStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    throw new StoreUnavailableException("connection refused", null);
                });
    }

    private Shield shieldOnUnavailableStore(StoreSettings.FailureMode onFailure) {
        PerIpLimits perIp = new PerIpLimits(
                32,
                64,
                1000,
                new Limit(2, Mode.ENFORCE),
                new Limit(2, Mode.ENFORCE),
                new HarvestLimit(2, Duration.ofHours(1), Duration.ofHours(1), Mode.ENFORCE));
        ShieldConfig defaults = ShieldConfig.defaults();
        ShieldConfig config = new ShieldConfig(
                new Exemptions(NetworkSet.parse("192.0.2.0/24"), true),
                perIp,
                defaults.session(),
                defaults.dns(),
                defaults.relay(),
                StoreSettings.redis("redis://127.0.0.1:1", onFailure));
        return new Shield(
                config,
                unavailableStore(),
                new Enforcement(new SecurityLog(), (rule, outcome) -> metrics.add(rule.configName() + " " + outcome)));
    }

    @Test
    void anUnavailableStoreFailingOpenServesTheClientAsIfNoLimitApplied() {
        Shield shield = shieldOnUnavailableStore(StoreSettings.FailureMode.OPEN);
        ClientConnection client = shield.connection(ip("203.0.113.12"));

        assertThat(shield.connect(client)).isEmpty();
        assertThat(shield.mailFrom(client)).isEmpty();
        shield.messageAccepted(client);
        assertThat(shield.unknownRecipient(client)).isEmpty();
        shield.disconnected(client);

        assertThat(metrics)
                .containsExactly(
                        "maxConcurrentConnections STORE_UNAVAILABLE",
                        "maxMessagesPerHour STORE_UNAVAILABLE",
                        "maxMessagesPerHour STORE_UNAVAILABLE",
                        "maxUnknownRecipients STORE_UNAVAILABLE");
        assertThat(shield.connect(shield.connection(ip("192.0.2.1"))))
                .as("an exempt network never asks the store")
                .isEmpty();
    }

    @Test
    void anUnavailableStoreFailingClosedRefusesEveryDecision() {
        Shield shield = shieldOnUnavailableStore(StoreSettings.FailureMode.CLOSED);
        ClientConnection client = shield.connection(ip("203.0.113.13"));

        assertThat(shield.connect(client)).contains(Refusal.STORE_UNAVAILABLE);
        assertThat(shield.mailFrom(client)).contains(Refusal.STORE_UNAVAILABLE);
        assertThat(shield.unknownRecipient(client)).contains(Refusal.STORE_UNAVAILABLE);
        assertThat(metrics)
                .containsExactly(
                        "maxConcurrentConnections STORE_UNAVAILABLE",
                        "maxMessagesPerHour STORE_UNAVAILABLE",
                        "maxUnknownRecipients STORE_UNAVAILABLE");
    }
}
