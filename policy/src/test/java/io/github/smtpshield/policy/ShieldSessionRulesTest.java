package io.github.smtpshield.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.config.Check;
import io.github.smtpshield.policy.config.DnsSettings;
import io.github.smtpshield.policy.config.Exemptions;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.config.SessionLimits;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.dns.DnsAnswer;
import io.github.smtpshield.policy.dns.DnsClient;
import io.github.smtpshield.policy.net.NetworkSet;
import io.github.smtpshield.policy.store.MemoryClientStore;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Who the session and DNS rules (5 to 9) apply to, as the Shield hands the events out. */
class ShieldSessionRulesTest {
    private final AtomicInteger lookups = new AtomicInteger();
    /** Every name is NXDOMAIN: every DNS check refuses. */
    private final DnsClient nothingExists = (name, type) -> {
        lookups.incrementAndGet();
        return CompletableFuture.completedFuture(DnsAnswer.nxdomain(Duration.ofMinutes(1)));
    };

    private final Shield shield = shield(true);

    private Shield shield(boolean authenticatedUsersExempt) {
        ShieldConfig defaults = ShieldConfig.defaults();
        ShieldConfig config = new ShieldConfig(
                new Exemptions(NetworkSet.parse("198.51.100.0/24"), authenticatedUsersExempt),
                defaults.perIp(),
                new SessionLimits(new Limit(1, Mode.ENFORCE), new Limit(1, Mode.ENFORCE), new Limit(100, Mode.ENFORCE)),
                new DnsSettings(
                        Duration.ofSeconds(1), List.of(), new Check(true, Mode.ENFORCE), new Check(true, Mode.ENFORCE)),
                defaults.relay(),
                defaults.store());
        return new Shield(
                config,
                MemoryClientStore.builder().build(),
                new Enforcement(new SecurityLog(), ShieldMetrics.NONE),
                nothingExists);
    }

    private ClientConnection connect(Shield shield, String ip) throws UnknownHostException {
        ClientConnection client = shield.connection(InetAddress.getByName(ip));
        assertThat(shield.connect(client)).isEmpty();
        return client;
    }

    @Test
    void anOrdinaryClientIsSubjectToEveryRule() throws UnknownHostException {
        ClientConnection client = connect(shield, "192.0.2.10");

        assertThat(shield.commandFailed(client)).isEmpty();
        assertThat(shield.commandFailed(client)).contains(Refusal.TOO_MANY_FAILED_COMMANDS);
        assertThat(shield.recipient(client, 1)).contains(Refusal.TOO_MANY_RECIPIENTS);
        assertThat(shield.declaredMessageSize(client, 101)).contains(Refusal.MESSAGE_TOO_BIG);
        assertThat(shield.senderDns(client, Optional.of("example.test")).join())
                .as("the PTR is checked first")
                .contains(Refusal.NO_PTR);
    }

    @Test
    void anExemptNetworkSkipsFailedCommandsAndDnsButNotRecipientsNorSize() throws UnknownHostException {
        ClientConnection client = connect(shield, "198.51.100.7");

        assertThat(shield.commandFailed(client)).isEmpty();
        assertThat(shield.commandFailed(client)).isEmpty();
        assertThat(shield.senderDns(client, Optional.of("example.test")).join()).isEmpty();
        assertThat(lookups).as("no lookup for an exempt client").hasValue(0);
        assertThat(shield.recipient(client, 1)).contains(Refusal.TOO_MANY_RECIPIENTS);
        assertThat(shield.declaredMessageSize(client, 101)).contains(Refusal.MESSAGE_TOO_BIG);
    }

    @Test
    void anAuthenticatedClientSkipsFailedCommandsAndDnsWhenAuthenticatedUsersAreExempt() throws UnknownHostException {
        ClientConnection client = connect(shield, "192.0.2.10");
        assertThat(shield.commandFailed(client))
                .as("a failed AUTH, before authenticating")
                .isEmpty();
        client.authenticated();

        assertThat(shield.commandFailed(client)).isEmpty();
        assertThat(shield.senderDns(client, Optional.of("example.test")).join()).isEmpty();
        assertThat(shield.recipient(client, 1)).contains(Refusal.TOO_MANY_RECIPIENTS);
    }

    @Test
    void anAuthenticatedClientIsCheckedWhenAuthenticatedUsersAreNotExempt() throws UnknownHostException {
        Shield strict = shield(false);
        ClientConnection client = connect(strict, "192.0.2.10");
        client.authenticated();

        assertThat(strict.commandFailed(client)).isEmpty();
        assertThat(strict.commandFailed(client)).contains(Refusal.TOO_MANY_FAILED_COMMANDS);
    }

    @Test
    void theNullSenderHasNoDomainToCheck() throws UnknownHostException {
        Shield ptrOnlyOff = new Shield(
                new ShieldConfig(
                        Exemptions.defaults(),
                        ShieldConfig.defaults().perIp(),
                        SessionLimits.off(),
                        new DnsSettings(Duration.ofSeconds(1), List.of(), new Check(true, Mode.ENFORCE), Check.off()),
                        ShieldConfig.defaults().relay(),
                        ShieldConfig.defaults().store()),
                MemoryClientStore.builder().build(),
                new Enforcement(new SecurityLog(), ShieldMetrics.NONE),
                nothingExists);
        ClientConnection client = connect(ptrOnlyOff, "192.0.2.10");

        assertThat(ptrOnlyOff.senderDns(client, Optional.empty()).join()).isEmpty();
        assertThat(ptrOnlyOff.senderDns(client, Optional.of("example.test")).join())
                .contains(Refusal.UNKNOWN_SENDER_DOMAIN);
    }

    @Test
    void theLookupOfThePtrStartsAtConnect() throws UnknownHostException {
        ClientConnection client = connect(shield, "192.0.2.10");

        assertThat(client.reverseDns()).isPresent();
        assertThat(lookups).hasValue(1);
        assertThat(shield.dnsCheckBound()).isEqualTo(Duration.ofSeconds(2));
    }
}
