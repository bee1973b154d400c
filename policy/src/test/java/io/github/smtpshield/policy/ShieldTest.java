package io.github.smtpshield.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.config.Exemptions;
import io.github.smtpshield.policy.config.HarvestLimit;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.config.PerIpSettings;
import io.github.smtpshield.policy.config.RedisStores;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.config.StoreSettings;
import io.github.smtpshield.policy.net.NetworkSet;
import io.github.smtpshield.policy.rules.ConnectionLimit;
import io.github.smtpshield.policy.rules.MessageRateLimit;
import io.github.smtpshield.policy.rules.UnknownRecipientLimit;
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

    /** Two of each per-IP limit. */
    private static ShieldConfig perIpLimitsOfTwo(Mode mode, boolean authenticatedUsersExempt) {
        return ShieldConfig.defaults()
                .with(new Exemptions(NetworkSet.parse("192.0.2.0/24"), authenticatedUsersExempt))
                .with(new PerIpSettings(32, 64, 1000))
                .with(MessageRateLimit.ELEMENT, new Limit(2, mode))
                .with(ConnectionLimit.ELEMENT, new Limit(2, mode))
                .with(
                        UnknownRecipientLimit.ELEMENT,
                        new HarvestLimit(2, Duration.ofHours(1), Duration.ofHours(1), mode));
    }

    private Shield shield(Mode mode, boolean authenticatedUsersExempt) {
        return new Shield(
                perIpLimitsOfTwo(mode, authenticatedUsersExempt),
                store,
                new Enforcement(new SecurityLog(), (rule, outcome) -> metrics.add(rule + " " + outcome)));
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

        assertThat(Events.connect(shield, first)).isEmpty();
        assertThat(Events.connect(shield, second)).isEmpty();
        assertThat(Events.connect(shield, third)).contains(ConnectionLimit.TOO_MANY_CONNECTIONS);

        Events.disconnected(shield, third);
        Events.disconnected(shield, first);
        Events.disconnected(shield, first);
        assertThat(Events.connect(shield, shield.connection(ip("203.0.113.5"))))
                .as("one slot free, released once")
                .isEmpty();
        assertThat(Events.connect(shield, shield.connection(ip("203.0.113.5"))))
                .contains(ConnectionLimit.TOO_MANY_CONNECTIONS);
        assertThat(metrics).containsOnly("maxConcurrentConnections REJECTED");
    }

    @Test
    void theHourlyBudgetRefusesTheMessageAfterTheNth() {
        Shield shield = shield(Mode.ENFORCE, true);
        ClientConnection client = shield.connection(ip("203.0.113.6"));
        Events.connect(shield, client);

        for (int i = 0; i < 2; i++) {
            assertThat(Events.mailFrom(shield, client)).isEmpty();
            Events.messageAccepted(shield, client);
        }

        assertThat(Events.mailFrom(shield, client)).contains(MessageRateLimit.TOO_MUCH_MAIL);
        assertThat(Events.mailFrom(shield, shield.connection(ip("203.0.113.7"))))
                .as("another client")
                .isEmpty();
    }

    @Test
    void parallelSessionsTakeTheBudgetAtMailFromAndATransactionWithoutMessageGivesItBack() {
        Shield shield = shield(Mode.ENFORCE, true);
        ClientConnection first = shield.connection(ip("203.0.113.6"));
        ClientConnection second = shield.connection(ip("203.0.113.6"));
        ClientConnection third = shield.connection(ip("203.0.113.6"));

        assertThat(Events.mailFrom(shield, first)).isEmpty();
        assertThat(Events.mailFrom(shield, second)).isEmpty();
        assertThat(Events.mailFrom(shield, third))
                .as("two transactions hold the budget of two")
                .contains(MessageRateLimit.TOO_MUCH_MAIL);

        Events.transactionEnded(shield, first); // RSET
        Events.transactionEnded(shield, first);
        assertThat(Events.mailFrom(shield, third)).as("given back once").isEmpty();
        assertThat(Events.mailFrom(shield, first)).contains(MessageRateLimit.TOO_MUCH_MAIL);

        Events.messageAccepted(shield, third);
        Events.transactionEnded(shield, third);
        Events.disconnected(shield, third);
        Events.disconnected(shield, second);
        assertThat(Events.mailFrom(shield, first)).as("the disconnected one's").isEmpty();
        assertThat(Events.mailFrom(shield, shield.connection(ip("203.0.113.6"))))
                .as("the accepted message keeps its slot")
                .contains(MessageRateLimit.TOO_MUCH_MAIL);
    }

    @Test
    void aTransactionWhoseEndWentUnseenLendsItsSlotToTheNext() {
        Shield shield = shield(Mode.ENFORCE, true);
        ClientConnection client = shield.connection(ip("203.0.113.6"));

        for (int i = 0; i < 5; i++) {
            assertThat(Events.mailFrom(shield, client)).isEmpty();
        }
        assertThat(Events.mailFrom(shield, shield.connection(ip("203.0.113.6"))))
                .as("one slot taken of two")
                .isEmpty();
    }

    @Test
    void theUnknownRecipientOverTheLimitBlocksTheClientAtItsNextConnect() {
        Shield shield = shield(Mode.ENFORCE, true);
        ClientConnection client = shield.connection(ip("203.0.113.8"));
        Events.connect(shield, client);

        assertThat(Events.unknownRecipient(shield, client)).isEmpty();
        assertThat(Events.unknownRecipient(shield, client)).isEmpty();
        assertThat(Events.unknownRecipient(shield, client)).contains(UnknownRecipientLimit.DIRECTORY_HARVEST);
        Events.disconnected(shield, client);

        assertThat(Events.connect(shield, shield.connection(ip("203.0.113.8"))))
                .contains(UnknownRecipientLimit.BLOCKED);
        assertThat(store.activeBlock(shield.connection(ip("203.0.113.8")).key()))
                .isPresent();
    }

    @Test
    void anExemptNetworkWinsOverABlockAndIsNeverCounted() {
        Shield shield = shield(Mode.ENFORCE, true);
        store.block(shield.connection(ip("192.0.2.10")).key(), "manual", Duration.ofHours(1));

        for (int i = 0; i < 5; i++) {
            ClientConnection client = shield.connection(ip("192.0.2.10"));
            assertThat(Events.connect(shield, client)).isEmpty();
            assertThat(Events.mailFrom(shield, client)).isEmpty();
            Events.messageAccepted(shield, client);
            assertThat(Events.unknownRecipient(shield, client)).isEmpty();
        }
        assertThat(store.counters(shield.connection(ip("192.0.2.10")).key(), 2, 2, Duration.ofHours(1))
                        .connections())
                .isZero();
        assertThat(metrics).isEmpty();
    }

    @Test
    void authenticatedClientsAreExemptOnlyWhenTheConfigurationSaysSo() {
        ClientConnection exempt = authenticatedClientThatSentTwoMessages(shield(Mode.ENFORCE, true), "203.0.113.9");
        ClientConnection counted = authenticatedClientThatSentTwoMessages(shield(Mode.ENFORCE, false), "203.0.113.10");

        assertThat(Events.mailFrom(shield(Mode.ENFORCE, true), exempt)).isEmpty();
        assertThat(Events.mailFrom(shield(Mode.ENFORCE, false), counted)).contains(MessageRateLimit.TOO_MUCH_MAIL);
    }

    private ClientConnection authenticatedClientThatSentTwoMessages(Shield shield, String address) {
        ClientConnection client = shield.connection(ip(address));
        Events.connect(shield, client);
        client.authenticated();
        for (int i = 0; i < 2; i++) {
            Events.mailFrom(shield, client);
            Events.messageAccepted(shield, client);
        }
        return client;
    }

    @Test
    void observeModeRefusesNothingCountsEverythingAndNeverBlocks() {
        Shield shield = shield(Mode.OBSERVE, true);
        List<ClientConnection> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ClientConnection client = shield.connection(ip("203.0.113.11"));
            assertThat(Events.connect(shield, client)).isEmpty();
            clients.add(client);
        }
        ClientConnection client = clients.get(0);
        for (int i = 0; i < 3; i++) {
            assertThat(Events.mailFrom(shield, client)).isEmpty();
            Events.messageAccepted(shield, client);
            assertThat(Events.unknownRecipient(shield, client)).isEqualTo(Optional.empty());
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
        clients.forEach(client1 -> Events.disconnected(shield, client1));
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
        return new Shield(
                perIpLimitsOfTwo(Mode.ENFORCE, true).with(RedisStores.redis("redis://127.0.0.1:1", onFailure)),
                unavailableStore(),
                new Enforcement(new SecurityLog(), (rule, outcome) -> metrics.add(rule + " " + outcome)));
    }

    @Test
    void anUnavailableStoreFailingOpenServesTheClientAsIfNoLimitApplied() {
        Shield shield = shieldOnUnavailableStore(StoreSettings.FailureMode.OPEN);
        ClientConnection client = shield.connection(ip("203.0.113.12"));

        assertThat(Events.connect(shield, client)).isEmpty();
        assertThat(Events.mailFrom(shield, client)).isEmpty();
        Events.messageAccepted(shield, client);
        assertThat(Events.unknownRecipient(shield, client)).isEmpty();
        Events.disconnected(shield, client);

        assertThat(metrics)
                .containsExactly(
                        "maxConcurrentConnections STORE_UNAVAILABLE",
                        "maxMessagesPerHour STORE_UNAVAILABLE",
                        "maxUnknownRecipients STORE_UNAVAILABLE");
        assertThat(Events.connect(shield, shield.connection(ip("192.0.2.1"))))
                .as("an exempt network never asks the store")
                .isEmpty();
    }

    @Test
    void anUnavailableStoreFailingClosedRefusesEveryDecision() {
        Shield shield = shieldOnUnavailableStore(StoreSettings.FailureMode.CLOSED);
        ClientConnection client = shield.connection(ip("203.0.113.13"));

        assertThat(Events.connect(shield, client)).contains(Enforcement.STORE_UNAVAILABLE);
        assertThat(Events.mailFrom(shield, client)).contains(Enforcement.STORE_UNAVAILABLE);
        assertThat(Events.unknownRecipient(shield, client)).contains(Enforcement.STORE_UNAVAILABLE);
        assertThat(metrics)
                .containsExactly(
                        "maxConcurrentConnections STORE_UNAVAILABLE",
                        "maxMessagesPerHour STORE_UNAVAILABLE",
                        "maxUnknownRecipients STORE_UNAVAILABLE");
    }

    @Test
    void aProxyPeerIsRefusedUnlessTrusted() {
        Shield shield = new Shield(
                ShieldConfig.defaults().withTrustedProxies(NetworkSet.parse("10.0.0.10/32")),
                store,
                new Enforcement(new SecurityLog(), (rule, outcome) -> metrics.add(rule + " " + outcome)));

        assertThat(shield.proxyPeer(ip("10.0.0.10"))).isEmpty();
        assertThat(shield.proxyPeer(ip("10.0.0.11"))).contains(Enforcement.UNTRUSTED_PROXY);
        assertThat(Enforcement.UNTRUSTED_PROXY.reply().line(ip("10.0.0.11")))
                .isEqualTo("4.7.0 10.0.0.11 is not a trusted proxy, closing connection");
        assertThat(metrics).containsExactly("trustedProxies REJECTED");
    }
}
