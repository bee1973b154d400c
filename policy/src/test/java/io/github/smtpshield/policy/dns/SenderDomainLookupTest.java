package io.github.smtpshield.policy.dns;

import static io.github.smtpshield.policy.dns.DnsJavaClientTest.name;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.testing.LoopbackDnsServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

class SenderDomainLookupTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);
    /** Two lookup rounds at most (MX, then A and AAAA), plus room for a slow test machine. */
    private static final Duration WITHIN_TIMEOUTS = TIMEOUT.multipliedBy(2).plusMillis(700);

    private LoopbackDnsServer dns;
    private SenderDomainLookup check;

    @BeforeEach
    void start() {
        dns = new LoopbackDnsServer()
                .mx("mx.test", 10, "mail.mx.test")
                .a("mail.mx.test", "127.0.0.1")
                .a("aonly.test", "127.0.0.1")
                .aaaa("aaaaonly.test", "2001:db8::25")
                .record(new TXTRecord(name("txtonly.test"), DClass.IN, 300, "v=spf1 -all"))
                .nullMx("nullmx.test")
                .servfail("broken.test")
                .silent("slow.test");
        check = checkWithTimeout(TIMEOUT);
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void domainWithMxExists() {
        assertThat(verdict("mx.test")).isEqualTo(SenderDomainVerdict.OK);
    }

    @Test
    void domainWithOnlyAnAddressRecordExists() {
        assertThat(verdict("aonly.test")).isEqualTo(SenderDomainVerdict.OK);
        assertThat(verdict("aaaaonly.test")).isEqualTo(SenderDomainVerdict.OK);
    }

    @Test
    void nonexistentDomainIsUnknown() {
        assertThat(verdict("nowhere.test")).isEqualTo(SenderDomainVerdict.UNKNOWN_DOMAIN);
        assertThat(dns.queryCount("nowhere.test")).as("NXDOMAIN on MX is final").isEqualTo(1);
    }

    @Test
    void domainWithoutMxOrAddressIsUnknown() {
        assertThat(verdict("txtonly.test")).isEqualTo(SenderDomainVerdict.UNKNOWN_DOMAIN);
        assertThat(dns.queryCount("txtonly.test")).as("MX, A, AAAA").isEqualTo(3);
    }

    @Test
    void nullMxAcceptsNoMail() {
        assertThat(verdict("nullmx.test")).isEqualTo(SenderDomainVerdict.NULL_MX);
    }

    @Test
    void anMxToTheRootBesideARealMxIsNoNullMx() {
        dns.nullMx("mixed.test").mx("mixed.test", 10, "mail.mx.test");
        assertThat(verdict("mixed.test")).isEqualTo(SenderDomainVerdict.OK);
    }

    @Test
    void servfailIsTemporary() {
        assertThat(verdict("broken.test")).isEqualTo(SenderDomainVerdict.TEMPORARY_FAILURE);
    }

    @Test
    void serverThatNeverAnswersIsTemporaryWithinTheTimeout() {
        assertThat(check.check("slow.test"))
                .succeedsWithin(WITHIN_TIMEOUTS)
                .isEqualTo(SenderDomainVerdict.TEMPORARY_FAILURE);
    }

    @Test
    void failureOfAnAddressLookupAfterNoMxIsTemporary() {
        dns.record(new TXTRecord(name("halfbroken.test"), DClass.IN, 300, "x")).servfail("halfbroken.test", Type.AAAA);
        dns.record(new TXTRecord(name("halfslow.test"), DClass.IN, 300, "x")).silent("halfslow.test", Type.A);

        assertThat(verdict("halfbroken.test")).isEqualTo(SenderDomainVerdict.TEMPORARY_FAILURE);
        assertThat(check.check("halfslow.test"))
                .succeedsWithin(WITHIN_TIMEOUTS)
                .isEqualTo(SenderDomainVerdict.TEMPORARY_FAILURE);
    }

    @Test
    void oneAddressIsEnoughEvenIfTheOtherFamilyFails() {
        dns.a("v4withbrokenv6.test", "127.0.0.1").servfail("v4withbrokenv6.test", Type.AAAA);
        assertThat(verdict("v4withbrokenv6.test")).isEqualTo(SenderDomainVerdict.OK);
    }

    @Test
    void aFoundAddressDoesNotWaitForTheOtherFamily() {
        dns.aaaa("v6withslowv4.test", "2001:db8::25").silent("v6withslowv4.test", Type.A);
        SenderDomainLookup patient = checkWithTimeout(Duration.ofSeconds(10));

        assertThat(patient.check("v6withslowv4.test"))
                .succeedsWithin(Duration.ofSeconds(3))
                .isEqualTo(SenderDomainVerdict.OK);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[192.0.2.1]", "[IPv6:2001:db8::1]", "[ipv6:::1]"})
    void addressLiteralIsAcceptedWithoutLookup(String literal) {
        assertThat(verdict(literal)).isEqualTo(SenderDomainVerdict.OK);
        assertThat(dns.queryCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                ".",
                "..",
                "a..test",
                "-dash.test",
                "dash-.test",
                "under_score.test",
                "sp ace.test",
                "dollar$.test",
                "[192.0.2.300]",
                "[2001:db8::1]",
                "[IPv6:nonsense]",
                "[]",
                "[192.0.2.1",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.test"
            })
    void invalidDomainIsUnknownWithoutLookup(String domain) {
        assertThat(verdict(domain)).isEqualTo(SenderDomainVerdict.UNKNOWN_DOMAIN);
        assertThat(dns.queryCount()).isZero();
    }

    @Test
    void domainIsTooLongBeyond253Characters() {
        String label = "a".repeat(63);
        String tooLong = String.join(".", label, label, label, label.substring(0, 57)) + ".test"; // 254
        assertThat(tooLong).hasSize(254);
        assertThat(verdict(tooLong)).isEqualTo(SenderDomainVerdict.UNKNOWN_DOMAIN);
        assertThat(dns.queryCount()).isZero();
    }

    @Test
    void caseAndTrailingDotDoNotMatter() {
        assertThat(verdict("MX.Test.")).isEqualTo(SenderDomainVerdict.OK);
        assertThat(verdict("mx.test")).isEqualTo(SenderDomainVerdict.OK);
        assertThat(dns.queryCount("mx.test"))
                .as("the second check is answered from the cache")
                .isEqualTo(1);
    }

    @Test
    void internationalisedDomainIsLookedUpInItsAsciiForm() {
        dns.mx("xn--bcher-kva.test", 10, "mail.mx.test");
        assertThat(verdict("bücher.test")).isEqualTo(SenderDomainVerdict.OK);
    }

    private SenderDomainLookup checkWithTimeout(Duration timeout) {
        return new SenderDomainLookup(new DnsJavaClient(List.of(dns.address()), timeout));
    }

    private SenderDomainVerdict verdict(String domain) {
        CompletableFuture<SenderDomainVerdict> verdict = check.check(domain);
        assertThat(verdict).succeedsWithin(WITHIN_TIMEOUTS);
        return verdict.join();
    }
}
