package io.github.smtpshield.policy.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.dns.DnsAnswer.Status;
import io.github.smtpshield.policy.net.IpPrefix;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class ClientDnsTest {
    private static final IpPrefix ATTACKER = IpPrefix.parse("192.0.2.66");
    private static final IpPrefix CLIENT = IpPrefix.parse("192.0.2.2");
    private static final DnsAnswer FOUND = DnsAnswer.found(
            List.of(new ARecord(
                    DnsJavaClientTest.name("example.test"), DClass.IN, 300, InetAddress.getLoopbackAddress())),
            Duration.ofMinutes(5));

    private final ScriptedDns dns = new ScriptedDns();
    private final FakeTicker ticker = new FakeTicker();
    private final ClientDns clients = new ClientDns(dns, ticker);

    @Test
    void aClientHasAtMostItsShareOfLookupsOnTheNetwork() {
        List<CompletableFuture<DnsAnswer>> lookups = IntStream.range(0, ClientDns.MAX_IN_FLIGHT + 3)
                .mapToObj(i -> clients.of(ATTACKER).lookup(name("r" + i + ".slow.test"), Type.MX))
                .toList();

        assertThat(dns.asked()).isEqualTo(ClientDns.MAX_IN_FLIGHT);
        assertThat(lookups.subList(ClientDns.MAX_IN_FLIGHT, lookups.size()))
                .as("over its share: answered at once, as a timeout")
                .allMatch(lookup -> lookup.isDone() && lookup.join().status() == Status.TIMEOUT);
        assertThat(clients.of(CLIENT).lookup(name("example.test"), Type.A))
                .as("another client is asked for")
                .isNotDone();
        assertThat(dns.asked()).isEqualTo(ClientDns.MAX_IN_FLIGHT + 1);
    }

    @Test
    void lookupsOfAQuestionOnTheNetworkJoinItsQueryAndTakeNoShare() {
        List<CompletableFuture<DnsAnswer>> sessions = IntStream.range(0, 3 * ClientDns.MAX_IN_FLIGHT)
                .mapToObj(i -> clients.of(CLIENT).lookup(name("busy.test"), Type.MX))
                .toList();
        CompletableFuture<DnsAnswer> otherClient = clients.of(ATTACKER).lookup(name("busy.test"), Type.MX);

        assertThat(dns.asked()).as("one query").isEqualTo(1);
        assertThat(sessions).noneMatch(CompletableFuture::isDone);
        assertThat(clients.of(CLIENT).lookup(name("other.test"), Type.MX))
                .as("one share taken")
                .isNotDone();

        dns.answer("busy.test", FOUND);
        assertThat(sessions).allMatch(lookup -> lookup.join().status() == Status.FOUND);
        assertThat(otherClient.join().status()).isEqualTo(Status.FOUND);
        assertThat(clients.of(CLIENT).lookup(name("busy.test"), Type.MX)).isNotNull();
        assertThat(dns.asked()).as("answered: a new lookup is a new query").isEqualTo(3);
    }

    @Test
    void noCallerCanCompleteTheSharedQuery() {
        CompletableFuture<DnsAnswer> first = clients.of(CLIENT).lookup(name("busy.test"), Type.MX);
        CompletableFuture<DnsAnswer> joined = clients.of(ATTACKER).lookup(name("busy.test"), Type.MX);
        CompletableFuture<DnsAnswer> third = clients.of(ATTACKER).lookup(name("busy.test"), Type.MX);

        joined.complete(DnsAnswer.servfail());
        first.cancel(false);

        assertThat(third).isNotDone();
        dns.answer("busy.test", FOUND);
        assertThat(third.join().status()).isEqualTo(Status.FOUND);
        assertThat(clients.isTroubled(ATTACKER)).isFalse();
        assertThat(clients.isTroubled(CLIENT)).isFalse();
    }

    @Test
    void aClientWhoseLookupTimedOutIsAnsweredFromMemoryForAWhile() {
        CompletableFuture<DnsAnswer> first = clients.of(ATTACKER).lookup(name("r1.slow.test"), Type.MX);
        dns.answer("r1.slow.test", DnsAnswer.timeout());
        assertThat(first.join().status()).isEqualTo(Status.TIMEOUT);
        assertThat(clients.isTroubled(ATTACKER)).isTrue();

        assertThat(clients.of(ATTACKER).lookup(name("r2.slow.test"), Type.MX))
                .isCompletedWithValueMatching(answer -> answer.status() == Status.TIMEOUT);
        assertThat(dns.asked()).as("not asked again").isEqualTo(1);
        assertThat(clients.isTroubled(CLIENT)).isFalse();

        ticker.advance(ClientDns.REMEMBERED.plusSeconds(1));
        assertThat(clients.of(ATTACKER).lookup(name("r3.slow.test"), Type.MX)).isNotDone();
        assertThat(dns.asked()).isEqualTo(2);
    }

    @Test
    void aServfailIsRememberedAsATimeoutIs() {
        CompletableFuture<DnsAnswer> lookup = clients.of(ATTACKER).lookup(name("broken.test"), Type.MX);
        dns.answer("broken.test", DnsAnswer.servfail());
        lookup.join();
        assertThat(clients.isTroubled(ATTACKER)).isTrue();
    }

    @Test
    void whatTheResolverKnowsIsGivenEvenToATroubledClient() {
        CompletableFuture<DnsAnswer> lookup = clients.of(ATTACKER).lookup(name("r1.slow.test"), Type.MX);
        dns.answer("r1.slow.test", DnsAnswer.timeout());
        lookup.join();
        dns.known.put("example.test", FOUND);

        assertThat(clients.of(ATTACKER).lookup(name("example.test"), Type.A))
                .isCompletedWithValueMatching(answer -> answer.status() == Status.FOUND);
    }

    @Test
    void aFoundAnswerFreesTheSlotAndLeavesNoTrouble() {
        for (int i = 0; i < 3 * ClientDns.MAX_IN_FLIGHT; i++) {
            CompletableFuture<DnsAnswer> lookup = clients.of(CLIENT).lookup(name("h" + i + ".test"), Type.A);
            dns.answer("h" + i + ".test", FOUND);
            assertThat(lookup.join().status()).isEqualTo(Status.FOUND);
        }
        assertThat(dns.asked()).isEqualTo(3 * ClientDns.MAX_IN_FLIGHT);
        assertThat(clients.isTroubled(CLIENT)).isFalse();
    }

    private static Name name(String name) {
        return DnsJavaClientTest.name(name);
    }

    /** Lookups wait until the test answers them; {@link #known} is what the cache would hold. */
    private static final class ScriptedDns implements DnsClient {
        private final Map<String, CompletableFuture<DnsAnswer>> pending = new ConcurrentHashMap<>();
        private final Map<String, DnsAnswer> known = new ConcurrentHashMap<>();
        private final AtomicInteger asked = new AtomicInteger();

        @Override
        public CompletableFuture<DnsAnswer> lookup(Name name, int type) {
            asked.incrementAndGet();
            return pending.computeIfAbsent(key(name), key -> new CompletableFuture<>());
        }

        @Override
        public Optional<DnsAnswer> known(Name name, int type) {
            return Optional.ofNullable(known.get(key(name)));
        }

        void answer(String name, DnsAnswer answer) {
            pending.computeIfAbsent(key(name(name)), key -> new CompletableFuture<>())
                    .complete(answer);
        }

        int asked() {
            return asked.get();
        }

        private static String key(Name name) {
            return name.toString(true);
        }
    }
}
