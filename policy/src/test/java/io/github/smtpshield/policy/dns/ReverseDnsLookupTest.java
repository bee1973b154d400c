package io.github.smtpshield.policy.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.testing.LoopbackDnsServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReverseDnsLookupTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final Duration WITHIN_TIMEOUT = TIMEOUT.plusMillis(700);

    private LoopbackDnsServer dns;
    private ReverseDnsLookup check;

    @BeforeEach
    void start() {
        dns = new LoopbackDnsServer()
                .ptr("127.0.0.2", "Mail.Example.TEST")
                .ptr("2001:db8::2", "v6.example.test")
                .servfail("4.0.0.127.in-addr.arpa")
                .servfail("4.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa")
                .silent("5.0.0.127.in-addr.arpa");
        check = new ReverseDnsLookup(new DnsJavaClient(List.of(dns.address()), TIMEOUT));
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void ipv4WithPtr() throws UnknownHostException {
        assertThat(verdict("127.0.0.2")).isEqualTo(ReverseDnsVerdict.HAS_PTR);
    }

    @Test
    void ipv6WithPtr() throws UnknownHostException {
        assertThat(verdict("2001:db8::2")).isEqualTo(ReverseDnsVerdict.HAS_PTR);
    }

    @Test
    void ipv4MappedIpv6IsLookedUpAsIpv4() throws UnknownHostException {
        assertThat(verdict("::ffff:127.0.0.2")).isEqualTo(ReverseDnsVerdict.HAS_PTR);
    }

    @Test
    void withoutPtr() throws UnknownHostException {
        assertThat(verdict("127.0.0.3")).isEqualTo(ReverseDnsVerdict.NO_PTR);
        assertThat(verdict("2001:db8::3")).isEqualTo(ReverseDnsVerdict.NO_PTR);
    }

    @Test
    void reverseNameWithoutPtrRecordIsNoPtr() throws UnknownHostException {
        // the reverse name exists, but holds no PTR: NO_DATA, not NXDOMAIN
        dns.a("6.0.0.127.in-addr.arpa", "127.0.0.1");
        assertThat(verdict("127.0.0.6")).isEqualTo(ReverseDnsVerdict.NO_PTR);
    }

    @Test
    void servfailIsTemporary() throws UnknownHostException {
        assertThat(verdict("127.0.0.4")).isEqualTo(ReverseDnsVerdict.TEMPORARY_FAILURE);
        assertThat(verdict("2001:db8::4")).isEqualTo(ReverseDnsVerdict.TEMPORARY_FAILURE);
    }

    @Test
    void serverThatNeverAnswersIsTemporaryWithinTheTimeout() throws UnknownHostException {
        assertThat(check.lookup(InetAddress.getByName("127.0.0.5")))
                .succeedsWithin(WITHIN_TIMEOUT)
                .isEqualTo(ReverseDnsVerdict.TEMPORARY_FAILURE);
    }

    private ReverseDnsVerdict verdict(String ip) throws UnknownHostException {
        // getByName on an IP literal parses it, asks no resolver
        CompletableFuture<ReverseDnsVerdict> verdict = check.lookup(InetAddress.getByName(ip));
        assertThat(verdict).succeedsWithin(WITHIN_TIMEOUT);
        return verdict.join();
    }
}
