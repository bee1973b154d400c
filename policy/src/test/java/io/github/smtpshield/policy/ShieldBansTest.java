package io.github.smtpshield.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.SmtpEvent.AuthAttempt;
import io.github.smtpshield.policy.SmtpEvent.AuthFailed;
import io.github.smtpshield.policy.config.AccountLockLimit;
import io.github.smtpshield.policy.config.EscalationSettings;
import io.github.smtpshield.policy.config.Exemptions;
import io.github.smtpshield.policy.config.HarvestLimit;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.config.NetworkBlockSettings;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.net.NetworkSet;
import io.github.smtpshield.policy.rules.AccountAuthFailureLimit;
import io.github.smtpshield.policy.rules.AuthFailureLimit;
import io.github.smtpshield.policy.rules.BanEscalation;
import io.github.smtpshield.policy.rules.MessageRateLimit;
import io.github.smtpshield.policy.rules.NetworkBlockLimit;
import io.github.smtpshield.policy.rules.RepeatedRefusalLimit;
import io.github.smtpshield.policy.rules.UnknownRecipientLimit;
import io.github.smtpshield.policy.store.Block;
import io.github.smtpshield.policy.store.MemoryClientStore;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bans through the facade, on the real memory store: the events the adapters send, and what they answer. */
class ShieldBansTest {
    private static final Duration HOUR = Duration.ofHours(1);

    private final List<String> metrics = new ArrayList<>();
    private final MemoryClientStore store = MemoryClientStore.builder().build();

    @AfterEach
    void close() {
        store.close();
    }

    /** Two failed authentications per client, three per account, two refusals, networks of two blocked clients. */
    private static ShieldConfig bans(Mode mode) {
        return ShieldConfig.defaults()
                .with(new Exemptions(NetworkSet.parse("192.0.2.0/24"), true))
                .with(AuthFailureLimit.ELEMENT, new HarvestLimit(2, HOUR, HOUR, mode))
                .with(AccountAuthFailureLimit.ELEMENT, new AccountLockLimit(3, HOUR, HOUR, mode))
                .with(RepeatedRefusalLimit.ELEMENT, new HarvestLimit(2, HOUR, HOUR, mode))
                .with(
                        BanEscalation.ELEMENT,
                        new EscalationSettings(true, 2, Duration.ofDays(1), HOUR.multipliedBy(10), mode))
                .with(NetworkBlockLimit.ELEMENT, new NetworkBlockSettings(2, 24, 48, HOUR, mode))
                .with(MessageRateLimit.ELEMENT, new Limit(1, mode));
    }

    private Shield shield(ShieldConfig config) {
        return new Shield(
                config,
                store,
                new Enforcement(new SecurityLog(), (rule, outcome) -> metrics.add(rule + " " + outcome)));
    }

    private static ClientConnection client(Shield shield, String address) {
        try {
            return shield.connection(InetAddress.getByName(address));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Optional<Refusal> authFailed(Shield shield, ClientConnection client, String account) {
        return shield.on(client, new AuthFailed(account)).join();
    }

    @Test
    void theFailureOverTheLimitIsRefusedAndTheClientIsBlockedOnEveryListener() {
        Shield shield = shield(bans(Mode.ENFORCE));
        ClientConnection guesser = client(shield, "203.0.113.5");

        assertThat(authFailed(shield, guesser, "alice")).isEmpty();
        assertThat(authFailed(shield, guesser, "bob")).isEmpty();
        assertThat(authFailed(shield, guesser, "carol")).contains(AuthFailureLimit.PASSWORD_GUESSING);

        assertThat(store.activeBlock(guesser.key()).orElseThrow().reason()).isEqualTo(Block.AUTH);
        assertThat(Events.connect(shield, client(shield, "203.0.113.5"))).contains(UnknownRecipientLimit.BLOCKED);
        assertThat(shield.on(client(shield, "203.0.113.5"), SmtpEvent.SUBMISSION_CONNECT)
                        .join())
                .as("submission too")
                .contains(UnknownRecipientLimit.BLOCKED);
        assertThat(metrics).contains("authFailures REJECTED");
    }

    @Test
    void inObserveModeNothingIsRefusedNorBlocked() {
        Shield shield = shield(bans(Mode.OBSERVE));
        ClientConnection guesser = client(shield, "203.0.113.5");

        for (int i = 0; i < 5; i++) {
            assertThat(authFailed(shield, guesser, "alice")).isEmpty();
        }
        assertThat(store.blocks()).isEmpty();
        assertThat(store.accountLocks()).isEmpty();
        assertThat(metrics).contains("authFailures OBSERVED", "accountAuthFailures OBSERVED");
    }

    @Test
    void anAccountGuessedFromManyAddressesIsLockedButNotForExemptClients() {
        Shield shield = shield(bans(Mode.ENFORCE));
        for (int host = 1; host <= 3; host++) {
            assertThat(authFailed(shield, client(shield, "198.51.100." + host), "alice"))
                    .isEmpty();
        }
        assertThat(authFailed(shield, client(shield, "198.51.100.4"), "alice"))
                .contains(AccountAuthFailureLimit.ACCOUNT_LOCKED);

        assertThat(shield.on(client(shield, "198.51.100.9"), new AuthAttempt("alice"))
                        .join())
                .as("the right password too")
                .contains(AccountAuthFailureLimit.ACCOUNT_LOCKED);
        assertThat(shield.on(client(shield, "192.0.2.7"), new AuthAttempt("alice"))
                        .join())
                .as("an exempt client still authenticates")
                .isEmpty();
        assertThat(shield.on(client(shield, "198.51.100.9"), new AuthAttempt("bob"))
                        .join())
                .isEmpty();
        assertThat(shield.accountLocks()).extracting(lock -> lock.account()).containsExactly("alice");

        assertThat(shield.unlock("ALICE")).as("case-folded").isTrue();
        assertThat(shield.on(client(shield, "198.51.100.9"), new AuthAttempt("alice"))
                        .join())
                .isEmpty();
    }

    @Test
    void aClientRefusedOverAndOverIsBlockedAsARepeatOffender() {
        Shield shield = shield(bans(Mode.ENFORCE));
        ClientConnection sender = client(shield, "203.0.113.5");
        assertThat(Events.mailFrom(shield, sender)).isEmpty();
        Events.messageAccepted(shield, sender);
        assertThat(Events.mailFrom(shield, sender)).contains(MessageRateLimit.TOO_MUCH_MAIL);
        assertThat(Events.mailFrom(shield, sender)).contains(MessageRateLimit.TOO_MUCH_MAIL);

        assertThat(Events.mailFrom(shield, sender))
                .as("the third refusal over a limit of two")
                .contains(RepeatedRefusalLimit.REPEATED_REFUSALS);
        assertThat(store.activeBlock(sender.key()).orElseThrow().reason()).isEqualTo(Block.REPEATED);
    }

    @Test
    void enoughBlockedClientsBlockTheirNetworkButNotItsExemptAddresses() {
        ShieldConfig config = bans(Mode.ENFORCE).with(new Exemptions(NetworkSet.parse("203.0.113.200/32"), true));
        Shield shield = shield(config);
        for (int host = 1; host <= 2; host++) {
            ClientConnection guesser = client(shield, "203.0.113." + host);
            for (int i = 0; i < 3; i++) {
                authFailed(shield, guesser, "user" + host);
            }
        }

        Block network = store.activeBlock(io.github.smtpshield.policy.net.IpPrefix.parse("203.0.113.0/24"))
                .orElseThrow();
        assertThat(network.reason()).isEqualTo(Block.NETWORK);
        assertThat(Events.connect(shield, client(shield, "203.0.113.77"))).contains(NetworkBlockLimit.NETWORK_BLOCKED);
        assertThat(Events.connect(shield, client(shield, "203.0.113.200")))
                .as("exempt")
                .isEmpty();
        assertThat(Events.connect(shield, client(shield, "203.0.114.1")))
                .as("another network")
                .isEmpty();

        assertThat(shield.unblock(shield.target("203.0.113.0/24")))
                .as("lifted like any block")
                .isTrue();
        assertThat(Events.connect(shield, client(shield, "203.0.113.77"))).isEmpty();
    }

    @Test
    void aRepeatOffenderIsBlockedTwiceAsLong() {
        Shield shield = shield(bans(Mode.ENFORCE));
        ClientConnection guesser = client(shield, "203.0.113.5");
        for (int i = 0; i < 3; i++) {
            authFailed(shield, guesser, "alice" + i);
        }
        assertThat(shield.unblock(shield.target("203.0.113.5"))).isTrue();
        for (int i = 0; i < 3; i++) {
            authFailed(shield, guesser, "bob" + i);
        }

        Block second = store.activeBlock(guesser.key()).orElseThrow();
        assertThat(second.length()).isEqualTo(HOUR.multipliedBy(2));
        assertThat(second.offences()).isEqualTo(2);
    }
}
