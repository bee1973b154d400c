package io.github.smtpshield.policy.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.smtpshield.policy.dns.DnsAnswer.Status;
import io.github.smtpshield.testing.LoopbackDnsServer;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

class DnsJavaClientTest {

    /**
     * The timeout of the lookups meant to time out. Lookups meant to be answered get {@link #PATIENT}: on a loaded
     * machine (the whole build on two cores) a loopback answer can take longer than 300 ms, and must not fail a test
     * of caching.
     */
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    /** How long a test waits for the lookups that time out: the timeout, plus room for a loaded machine. */
    private static final Duration WITHIN_TIMEOUT = TIMEOUT.plusSeconds(5);

    private static final Duration PATIENT = Duration.ofSeconds(10);

    private LoopbackDnsServer dns;
    private FakeTicker ticker;
    /** Patient: for the lookups that are answered. */
    private DnsJavaClient client;
    /** Short timeout, same cache clock: for the lookups that time out. */
    private DnsJavaClient impatient;

    @BeforeEach
    void start() {
        dns = new LoopbackDnsServer()
                .mx("example.test", 10, "mail.example.test")
                .a("mail.example.test", "127.0.0.1")
                .servfail("broken.test")
                .silent("slow.test");
        ticker = new FakeTicker();
        client = new DnsJavaClient(List.of(dns.address()), PATIENT, ticker);
        impatient = new DnsJavaClient(List.of(dns.address()), TIMEOUT, ticker);
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void foundCarriesTheRecordsAndTheirTtl() {
        DnsAnswer answer = lookup("example.test", Type.MX);

        assertThat(answer.status()).isEqualTo(Status.FOUND);
        assertThat(answer.records())
                .singleElement()
                .isInstanceOfSatisfying(
                        MXRecord.class, mx -> assertThat(mx.getTarget()).hasToString("mail.example.test."));
        assertThat(answer.ttl()).isEqualTo(Duration.ofSeconds(LoopbackDnsServer.DEFAULT_TTL_SECONDS));
    }

    @Test
    void unknownNameIsNxdomain() {
        DnsAnswer answer = lookup("nowhere.test", Type.MX);
        assertThat(answer.status()).isEqualTo(Status.NXDOMAIN);
        assertThat(answer.ttl()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void knownNameWithoutTheTypeIsNoData() {
        assertThat(lookup("mail.example.test", Type.MX).status()).isEqualTo(Status.NO_DATA);
    }

    @Test
    void servfailIsTemporary() {
        DnsAnswer answer = lookup("broken.test", Type.MX);
        assertThat(answer.status()).isEqualTo(Status.SERVFAIL);
        assertThat(answer.isTemporary()).isTrue();
    }

    @Test
    void serverThatNeverAnswersTimesOutWithinTheTimeout() {
        long start = System.nanoTime();
        CompletableFuture<DnsAnswer> future = impatient.lookup(name("slow.test"), Type.MX);

        assertThat(future)
                .succeedsWithin(WITHIN_TIMEOUT)
                .satisfies(answer -> assertThat(answer.status()).isEqualTo(Status.TIMEOUT));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(TIMEOUT.minusMillis(50));
    }

    @Test
    void lookupReturnsAtOnceWithoutBlockingTheCaller() {
        long start = System.nanoTime();
        CompletableFuture<DnsAnswer> future = client.lookup(name("slow.test"), Type.MX);

        assertThat(future).isNotDone();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PATIENT.dividedBy(2));
        impatient.lookup(name("slow.test"), Type.MX).join();
    }

    @Test
    void manyConcurrentLookupsAreAllAnswered() {
        int lookups = 200;
        for (int i = 0; i < lookups; i++) {
            dns.a("host" + i + ".test", "127.0.0.1");
        }

        List<CompletableFuture<DnsAnswer>> answers = IntStream.range(0, lookups)
                .mapToObj(i -> client.lookup(name("host" + i + ".test"), Type.A))
                .toList();

        assertThat(CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)))
                .succeedsWithin(Duration.ofSeconds(5));
        assertThat(answers)
                .allSatisfy(answer -> assertThat(answer.join().status()).isEqualTo(Status.FOUND));
    }

    @Test
    void noServerListeningIsTemporary() throws IOException {
        DnsJavaClient nobodyThere = new DnsJavaClient(List.of(closedPort()), TIMEOUT);
        // Port unreachable, or the timeout: either way temporary

        assertThat(nobodyThere.lookup(name("example.test"), Type.MX))
                .succeedsWithin(WITHIN_TIMEOUT)
                .satisfies(answer -> assertThat(answer.isTemporary()).isTrue());
    }

    @Test
    void aDeadServerFallsThroughToTheNextOneWithinTheRound() throws IOException {
        DnsJavaClient twoServers = new DnsJavaClient(List.of(closedPort(), dns.address()), PATIENT);

        assertThat(twoServers.lookup(name("example.test"), Type.MX))
                .succeedsWithin(PATIENT)
                .satisfies(answer -> assertThat(answer.status()).isEqualTo(Status.FOUND));
    }

    @Test
    void secondLookupIsAnsweredFromTheCache() {
        lookup("example.test", Type.MX);
        DnsAnswer again = lookup("Example.TEST", Type.MX);

        assertThat(again.status()).isEqualTo(Status.FOUND);
        assertThat(dns.queryCount("example.test")).isEqualTo(1);
    }

    @Test
    void theCacheKeepsTypesApart() {
        lookup("mail.example.test", Type.A);
        lookup("mail.example.test", Type.MX);

        assertThat(dns.queryCount("mail.example.test")).isEqualTo(2);
    }

    @Test
    void negativeAnswersAreCachedForTheSoaTtl() {
        lookup("nowhere.test", Type.MX);
        lookup("mail.example.test", Type.MX);
        ticker.advance(Duration.ofSeconds(59));
        lookup("nowhere.test", Type.MX);
        lookup("mail.example.test", Type.MX);
        assertThat(dns.queryCount("nowhere.test")).isEqualTo(1);
        assertThat(dns.queryCount("mail.example.test")).isEqualTo(1);

        ticker.advance(Duration.ofSeconds(2));
        lookup("nowhere.test", Type.MX);
        assertThat(dns.queryCount("nowhere.test")).isEqualTo(2);
    }

    @Test
    void negativeAnswersAreCachedFiveMinutesAtMost() {
        dns.negativeTtl(Duration.ofDays(1));
        lookup("nowhere.test", Type.MX);

        ticker.advance(AnswerLifetime.MAX_NEGATIVE.plusSeconds(1));
        lookup("nowhere.test", Type.MX);

        assertThat(dns.queryCount("nowhere.test")).isEqualTo(2);
    }

    @Test
    void recordTtlIsHonoured() throws IOException {
        dns.record(new ARecord(name("short.test"), DClass.IN, 1, InetAddress.getByName("127.0.0.9")));
        lookup("short.test", Type.A);

        ticker.advance(Duration.ofMillis(900));
        lookup("short.test", Type.A);
        assertThat(dns.queryCount("short.test")).isEqualTo(1);

        ticker.advance(Duration.ofMillis(200));
        assertThat(lookup("short.test", Type.A).status()).isEqualTo(Status.FOUND);
        assertThat(dns.queryCount("short.test")).isEqualTo(2);
    }

    @Test
    void answersAreCachedAnHourAtMost() throws IOException {
        dns.record(new ARecord(name("long.test"), DClass.IN, 86400, InetAddress.getByName("127.0.0.9")));
        lookup("long.test", Type.A);

        ticker.advance(AnswerLifetime.MAX_POSITIVE.plusSeconds(1));
        lookup("long.test", Type.A);

        assertThat(dns.queryCount("long.test")).isEqualTo(2);
    }

    @Test
    void temporaryFailuresAreRememberedBriefly() {
        lookup("broken.test", Type.MX);
        impatient.lookup(name("slow.test"), Type.MX).join();

        assertThat(lookup("broken.test", Type.MX).status()).isEqualTo(Status.SERVFAIL);
        assertThat(impatient.lookup(name("slow.test"), Type.MX))
                .as("answered from memory, without waiting")
                .isCompletedWithValueMatching(answer -> answer.status() == Status.TIMEOUT);
        assertThat(impatient.known(name("slow.test"), Type.MX))
                .hasValueSatisfying(answer -> assertThat(answer.status()).isEqualTo(Status.TIMEOUT));
        assertThat(dns.queryCount("broken.test")).isEqualTo(1);
        assertThat(dns.queryCount("slow.test")).isEqualTo(1);

        ticker.advance(AnswerLifetime.FAILURE.plusSeconds(1));
        lookup("broken.test", Type.MX);
        assertThat(dns.queryCount("broken.test")).isEqualTo(2);
    }

    @Test
    void knownIsWhatTheCacheHoldsWithoutAsking() {
        assertThat(client.known(name("example.test"), Type.MX)).isEmpty();
        lookup("example.test", Type.MX);
        assertThat(client.known(name("example.test"), Type.MX))
                .hasValueSatisfying(answer -> assertThat(answer.status()).isEqualTo(Status.FOUND));
        assertThat(dns.queryCount("example.test")).isEqualTo(1);
    }

    @Test
    void aSilentServerHoldsNoOtherLookupInLine() {
        dns.silentZone("slow.test");
        List<CompletableFuture<DnsAnswer>> waiting = IntStream.range(0, 100)
                .mapToObj(i -> client.lookup(name("q" + i + ".slow.test"), Type.MX))
                .toList();

        assertThat(client.lookup(name("example.test"), Type.MX))
                .as("answered while 100 lookups wait for a server that never answers")
                .succeedsWithin(PATIENT.dividedBy(2))
                .satisfies(answer -> assertThat(answer.status()).isEqualTo(Status.FOUND));
        assertThat(waiting).noneMatch(CompletableFuture::isDone);
    }

    @Test
    void concurrentLookupsShareOneQuery() {
        CompletableFuture<DnsAnswer> first = impatient.lookup(name("slow.test"), Type.MX);
        CompletableFuture<DnsAnswer> second = impatient.lookup(name("slow.test"), Type.MX);

        assertThat(first).succeedsWithin(WITHIN_TIMEOUT);
        assertThat(second).succeedsWithin(WITHIN_TIMEOUT);
        assertThat(dns.queryCount("slow.test")).isEqualTo(1);
    }

    @Test
    void aCallerCancellingItsFutureDoesNotCancelTheOthers() {
        CompletableFuture<DnsAnswer> cancelling = impatient.lookup(name("slow.test"), Type.MX);
        CompletableFuture<DnsAnswer> waiting = impatient.lookup(name("slow.test"), Type.MX);

        cancelling.cancel(false);

        assertThat(waiting)
                .succeedsWithin(WITHIN_TIMEOUT)
                .satisfies(answer -> assertThat(answer.status()).isEqualTo(Status.TIMEOUT));
    }

    @Test
    void rejectsARelativeNameAndANonPositiveTimeout() throws TextParseException {
        Name relative = Name.fromString("example.test");
        assertThatThrownBy(() -> client.lookup(relative, Type.MX)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DnsJavaClient(List.of(dns.address()), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private DnsAnswer lookup(String name, int type) {
        return client.lookup(name(name), type).join();
    }

    static Name name(String name) {
        try {
            return Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A loopback UDP port nobody listens on: queries get an ICMP "port unreachable". */
    static InetSocketAddress closedPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
        }
    }
}
