package io.github.smtpshield.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.config.Check;
import io.github.smtpshield.policy.config.DnsSettings;
import io.github.smtpshield.policy.config.Exemptions;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.dns.DnsAnswer;
import io.github.smtpshield.policy.dns.DnsClient;
import io.github.smtpshield.policy.net.NetworkSet;
import io.github.smtpshield.policy.rules.ClientWithoutPtrCheck;
import io.github.smtpshield.policy.rules.FailedCommandLimit;
import io.github.smtpshield.policy.rules.MessageSizeLimit;
import io.github.smtpshield.policy.rules.RecipientLimit;
import io.github.smtpshield.policy.rules.UnknownSenderDomainCheck;
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
        ShieldConfig config = dnsChecks(new Check(true, Mode.ENFORCE), new Check(true, Mode.ENFORCE))
                .with(new Exemptions(NetworkSet.parse("198.51.100.0/24"), authenticatedUsersExempt))
                .with(FailedCommandLimit.ELEMENT, new Limit(1, Mode.ENFORCE))
                .with(RecipientLimit.ELEMENT, new Limit(1, Mode.ENFORCE))
                .with(MessageSizeLimit.ELEMENT, new Limit(100, Mode.ENFORCE));
        return shield(config);
    }

    private static ShieldConfig dnsChecks(Check senderDomain, Check ptr) {
        return ShieldConfig.defaults()
                .with(new DnsSettings(Duration.ofSeconds(1), List.of()))
                .with(UnknownSenderDomainCheck.ELEMENT, senderDomain)
                .with(ClientWithoutPtrCheck.ELEMENT, ptr);
    }

    private Shield shield(ShieldConfig config) {
        return new Shield(
                config,
                MemoryClientStore.builder().build(),
                new Enforcement(new SecurityLog(), ShieldMetrics.NONE),
                () -> nothingExists);
    }

    private ClientConnection connect(Shield shield, String ip) throws UnknownHostException {
        ClientConnection client = shield.connection(InetAddress.getByName(ip));
        assertThat(Events.connect(shield, client)).isEmpty();
        return client;
    }

    @Test
    void anOrdinaryClientIsSubjectToEveryRule() throws UnknownHostException {
        ClientConnection client = connect(shield, "192.0.2.10");

        assertThat(Events.commandFailed(shield, client)).isEmpty();
        assertThat(Events.commandFailed(shield, client)).contains(FailedCommandLimit.TOO_MANY_FAILED_COMMANDS);
        assertThat(Events.recipient(shield, client, 1)).contains(RecipientLimit.TOO_MANY_RECIPIENTS);
        assertThat(Events.declaredMessageSize(shield, client, 101)).contains(MessageSizeLimit.MESSAGE_TOO_BIG);
        assertThat(Events.senderDns(shield, client, Optional.of("example.test")))
                .as("the PTR is checked first")
                .contains(ClientWithoutPtrCheck.NO_PTR);
    }

    @Test
    void anExemptNetworkSkipsFailedCommandsAndDnsButNotRecipientsNorSize() throws UnknownHostException {
        ClientConnection client = connect(shield, "198.51.100.7");

        assertThat(Events.commandFailed(shield, client)).isEmpty();
        assertThat(Events.commandFailed(shield, client)).isEmpty();
        assertThat(Events.senderDns(shield, client, Optional.of("example.test")))
                .isEmpty();
        assertThat(lookups).as("no lookup for an exempt client").hasValue(0);
        assertThat(Events.recipient(shield, client, 1)).contains(RecipientLimit.TOO_MANY_RECIPIENTS);
        assertThat(Events.declaredMessageSize(shield, client, 101)).contains(MessageSizeLimit.MESSAGE_TOO_BIG);
    }

    @Test
    void anAuthenticatedClientSkipsFailedCommandsAndDnsWhenAuthenticatedUsersAreExempt() throws UnknownHostException {
        ClientConnection client = connect(shield, "192.0.2.10");
        assertThat(Events.commandFailed(shield, client))
                .as("a failed AUTH, before authenticating")
                .isEmpty();
        client.authenticated();

        assertThat(Events.commandFailed(shield, client)).isEmpty();
        assertThat(Events.senderDns(shield, client, Optional.of("example.test")))
                .isEmpty();
        assertThat(Events.recipient(shield, client, 1)).contains(RecipientLimit.TOO_MANY_RECIPIENTS);
    }

    @Test
    void anAuthenticatedClientIsCheckedWhenAuthenticatedUsersAreNotExempt() throws UnknownHostException {
        Shield strict = shield(false);
        ClientConnection client = connect(strict, "192.0.2.10");
        client.authenticated();

        assertThat(Events.commandFailed(strict, client)).isEmpty();
        assertThat(Events.commandFailed(strict, client)).contains(FailedCommandLimit.TOO_MANY_FAILED_COMMANDS);
    }

    @Test
    void theNullSenderHasNoDomainToCheck() throws UnknownHostException {
        Shield ptrOnlyOff = shield(dnsChecks(new Check(true, Mode.ENFORCE), Check.off()));
        ClientConnection client = connect(ptrOnlyOff, "192.0.2.10");

        assertThat(Events.senderDns(ptrOnlyOff, client, Optional.empty())).isEmpty();
        assertThat(Events.senderDns(ptrOnlyOff, client, Optional.of("example.test")))
                .contains(UnknownSenderDomainCheck.UNKNOWN_SENDER_DOMAIN);
    }

    @Test
    void theLookupOfThePtrStartsAtConnect() throws UnknownHostException {
        ClientConnection client = connect(shield, "192.0.2.10");
        assertThat(lookups).as("at connect").hasValue(1);

        Events.senderDns(shield, client, Optional.empty());
        assertThat(lookups).as("no second PTR lookup at MAIL FROM").hasValue(1);
    }
}
