package io.github.smtpshield.policy.rules;

import static io.github.smtpshield.policy.rules.RecordingMetrics.on;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.ShieldMetrics.Outcome;
import io.github.smtpshield.policy.SmtpEvent;
import io.github.smtpshield.policy.SmtpEvent.MailFrom;
import io.github.smtpshield.policy.SmtpEvent.Recipient;
import io.github.smtpshield.policy.config.DnsSettings;
import io.github.smtpshield.policy.config.DnsblSettings;
import io.github.smtpshield.policy.config.DnsblZone;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.dns.DnsAnswer;
import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.store.MemoryClientStore;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Type;

class DnsblScreeningTest {
    private static final Duration TIMEOUT = Duration.ofMillis(200);
    private static final MailFrom MAIL_FROM = new MailFrom(Optional.empty());
    private static final List<DnsblZone> ZONES = List.of(
            new DnsblZone("zen.test", 3, List.of()),
            new DnsblZone("bl.test", 1, List.of(new DnsblZone.Codes(0x7F000002L, 0x7F000002L))),
            new DnsblZone("wl.test", -5, List.of()),
            new DnsblZone("dead.test", 3, List.of()));

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final MemoryClientStore store = MemoryClientStore.builder().build();
    private final FakeDns dns = new FakeDns()
            .answer("2.2.0.192.zen.test", Type.A, listed("127.0.0.2"))
            .answer("3.2.0.192.bl.test", Type.A, listed("127.0.0.9")) // a code that does not count
            .answer("4.2.0.192.zen.test", Type.A, listed("127.0.0.2"))
            .answer("4.2.0.192.wl.test", Type.A, listed("127.0.0.2"))
            .answer("5.2.0.192.zen.test", Type.A, listed("127.0.0.4"))
            .answer("5.2.0.192.bl.test", Type.A, listed("127.0.0.2"))
            .answer("6.2.0.192.zen.test", Type.A, listed("192.0.2.1")) // outside 127/8: an error, not a listing
            .silent("2.2.0.192.dead.test", Type.A)
            .silent("3.2.0.192.dead.test", Type.A)
            .silent("4.2.0.192.dead.test", Type.A)
            .silent("5.2.0.192.dead.test", Type.A)
            .silent("6.2.0.192.dead.test", Type.A);

    private Shield shield(Mode mode) {
        return new Shield(
                ShieldConfig.defaults()
                        .with(new DnsSettings(TIMEOUT, List.of()))
                        .with(DnsblScreening.ELEMENT, new DnsblSettings(3, ZONES, Duration.ofHours(1), mode)),
                store,
                new io.github.smtpshield.policy.Enforcement(new io.github.smtpshield.policy.SecurityLog(), metrics),
                () -> dns);
    }

    private static ClientConnection connected(Shield shield, String ip) {
        ClientConnection client = Clients.client(ip);
        assertThat(on(shield, client, SmtpEvent.CONNECT)).isEmpty();
        return client;
    }

    @Test
    void aClientScoringTheThresholdIsRefusedAtEveryMailAndRecipientNamingTheZones() {
        Shield shield = shield(Mode.ENFORCE);
        ClientConnection listed = connected(shield, "192.0.2.5");

        Optional<Refusal> refusal = on(shield, listed, MAIL_FROM);
        assertThat(refusal)
                .hasValueSatisfying(r -> assertThat(r.reply().line(listed.address()))
                        .isEqualTo("5.7.1 Service unavailable; client [192.0.2.5] blocked using zen.test, bl.test"));
        assertThat(refusal.get().reply().code()).isEqualTo("550");
        assertThat(on(shield, listed, new Recipient(0))).isPresent();
        assertThat(on(shield, listed, MAIL_FROM)).isPresent();
        assertThat(metrics.counts())
                .hasSize(3)
                .allMatch(count -> count.rule().equals("dnsbl") && count.outcome() == Outcome.REJECTED);
    }

    @Test
    void theScoreIsTheSumOfTheWeightsOfTheZonesThatCounted() {
        Shield shield = shield(Mode.ENFORCE);
        DnsblScreening rule = shield.rule(DnsblScreening.class);

        assertThat(rule.screen(address("192.0.2.2"), false).join())
                .isEqualTo(new DnsblScreening.Result(
                        3, List.of("zen.test"), List.of("dead.test"), DnsblScreening.Outcome.BLOCKED));
        assertThat(rule.screen(address("192.0.2.3"), false).join().score())
                .as("a code outside the zone's codes")
                .isZero();
        assertThat(rule.screen(address("192.0.2.4"), false).join())
                .as("allowlisted")
                .satisfies(result -> {
                    assertThat(result.score()).isEqualTo(-2);
                    assertThat(result.outcome()).isEqualTo(DnsblScreening.Outcome.PASSED);
                });
        assertThat(rule.screen(address("192.0.2.6"), false).join().score())
                .as("an answer outside 127/8")
                .isZero();
    }

    @Test
    void aZoneThatNeverAnswersCountsZeroWithinTheTimeout() {
        Shield shield = shield(Mode.ENFORCE);
        long start = System.nanoTime();
        ClientConnection client = connected(shield, "192.0.2.3");

        assertThat(on(shield, client, MAIL_FROM)).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusSeconds(2));
    }

    @Test
    void aClientThatPassedIsNotLookedUpAgainWhileTheCacheRemembersIt() {
        Shield shield = shield(Mode.ENFORCE);
        on(shield, connected(shield, "192.0.2.3"), MAIL_FROM);
        int asked = dns.lookups();

        ClientConnection again = connected(shield, "192.0.2.3");
        assertThat(on(shield, again, MAIL_FROM)).isEmpty();
        assertThat(dns.lookups()).isEqualTo(asked);
        assertThat(store.screeningPass(IpPrefix.host(address("192.0.2.3")))).hasValue(0);
        assertThat(shield.rule(DnsblScreening.class)
                        .screen(address("192.0.2.3"), false)
                        .join()
                        .outcome())
                .isEqualTo(DnsblScreening.Outcome.CACHED);
        assertThat(store.screeningPass(IpPrefix.host(address("192.0.2.2")))).isEmpty();
    }

    @Test
    void observeModeRefusesNothingAndCounts() {
        Shield shield = shield(Mode.OBSERVE);
        assertThat(on(shield, connected(shield, "192.0.2.2"), MAIL_FROM)).isEmpty();
        assertThat(metrics.counts())
                .singleElement()
                .satisfies(count -> assertThat(count.outcome()).isEqualTo(Outcome.OBSERVED));
    }

    @Test
    void exemptAndAuthenticatedClientsAreNotScreened() {
        Shield shield = shield(Mode.ENFORCE);
        ClientConnection authenticated = connected(shield, "192.0.2.2");
        authenticated.authenticated();
        assertThat(on(shield, authenticated, MAIL_FROM)).isEmpty();

        InetAddress exemptAddress = address("192.0.2.2");
        ClientConnection exempt = new ClientConnection(exemptAddress, IpPrefix.host(exemptAddress), true);
        int asked = dns.lookups();
        assertThat(on(shield, exempt, SmtpEvent.CONNECT)).isEmpty();
        assertThat(on(shield, exempt, MAIL_FROM)).isEmpty();
        assertThat(dns.lookups()).isEqualTo(asked);
    }

    private static DnsAnswer listed(String code) {
        return DnsAnswer.found(
                List.of(new ARecord(FakeDns.name("listed.test"), DClass.IN, 300, address(code))),
                Duration.ofMinutes(5));
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }
}
