package io.github.smtpshield.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class LoopbackDnsServerTest {

    private LoopbackDnsServer dns;
    private WireClient client;

    @BeforeEach
    void start() {
        dns = new LoopbackDnsServer()
                .mx("example.test", 10, "mail.example.test")
                .a("mail.example.test", "127.0.0.1")
                .aaaa("v6.example.test", "2001:db8::25")
                .nullMx("nomail.test")
                .ptr("127.0.0.2", "mail.example.test")
                .ptr("2001:db8::25", "v6.example.test")
                .servfail("broken.test")
                .silent("slow.test");
        client = new WireClient(dns.address());
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void answersTheRecordsItWasGiven() throws IOException {
        Message mx = query("example.test", Type.MX);
        assertThat(mx.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(mx.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(mx.getSection(Section.ANSWER)).singleElement().isInstanceOfSatisfying(MXRecord.class, r -> {
            assertThat(r.getPriority()).isEqualTo(10);
            assertThat(r.getTarget()).hasToString("mail.example.test.");
        });
        assertThat(rdata(query("mail.example.test", Type.A))).isEqualTo("127.0.0.1");
        InetAddress v6 = InetAddress.getByName("2001:db8::25");
        assertThat(query("v6.example.test", Type.AAAA).getSection(Section.ANSWER))
                .singleElement()
                .isInstanceOfSatisfying(
                        AAAARecord.class, r -> assertThat(r.getAddress()).isEqualTo(v6));
    }

    @Test
    void namesAreCaseInsensitiveAndTrailingDotsOptional() throws IOException {
        assertThat(rdata(query("MAIL.Example.TEST.", Type.A))).isEqualTo("127.0.0.1");
    }

    @Test
    void nullMxIsPreferenceZeroToTheRoot() throws IOException {
        assertThat(query("nomail.test", Type.MX).getSection(Section.ANSWER))
                .singleElement()
                .isInstanceOfSatisfying(MXRecord.class, r -> {
                    assertThat(r.getPriority()).isZero();
                    assertThat(r.getTarget()).isEqualTo(Name.root);
                });
    }

    @Test
    void ptrRecordsLiveUnderTheReverseNames() throws IOException {
        Message v4 = query("2.0.0.127.in-addr.arpa", Type.PTR);
        assertThat(v4.getSection(Section.ANSWER))
                .singleElement()
                .isInstanceOfSatisfying(
                        PTRRecord.class, r -> assertThat(r.getTarget()).hasToString("mail.example.test."));

        Message v6 = query("5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa", Type.PTR);
        assertThat(v6.getSection(Section.ANSWER))
                .singleElement()
                .isInstanceOfSatisfying(
                        PTRRecord.class, r -> assertThat(r.getTarget()).hasToString("v6.example.test."));
    }

    @Test
    void unknownNameIsNxdomainWithAnSoa() throws IOException {
        Message answer = query("nowhere.test", Type.MX);
        assertThat(answer.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(answer.getSection(Section.ANSWER)).isEmpty();
        assertThat(answer.getSection(Section.AUTHORITY))
                .singleElement()
                .isInstanceOfSatisfying(
                        SOARecord.class, soa -> assertThat(soa.getMinimum()).isEqualTo(60));
    }

    @Test
    void knownNameWithoutTheAskedTypeIsNoData() throws IOException {
        Message answer = query("mail.example.test", Type.MX);
        assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(answer.getSection(Section.ANSWER)).isEmpty();
        assertThat(answer.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
    }

    @Test
    void parentOfAKnownNameExistsWithoutData() throws IOException {
        Message answer = query("0.0.127.in-addr.arpa", Type.PTR);
        assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(answer.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void negativeTtlIsTheSoaTtlAndMinimum() throws IOException {
        dns.negativeTtl(Duration.ofMinutes(10));
        Record soa = query("nowhere.test", Type.A).getSection(Section.AUTHORITY).get(0);
        assertThat(soa.getTTL()).isEqualTo(600);
        assertThat(((SOARecord) soa).getMinimum()).isEqualTo(600);
    }

    @Test
    void servfailNameFails() throws IOException {
        assertThat(query("broken.test", Type.MX).getRcode()).isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void faultsCanTargetOneType() throws IOException {
        dns.a("split.test", "127.0.0.1").servfail("split.test", Type.AAAA).silent("split.test", Type.MX);

        assertThat(rdata(query("split.test", Type.A))).isEqualTo("127.0.0.1");
        assertThat(query("split.test", Type.AAAA).getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThatThrownBy(() -> query("split.test", Type.MX)).isInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void silentNameNeverAnswers() {
        assertThatThrownBy(() -> query("slow.test", Type.MX)).isInstanceOf(SocketTimeoutException.class);
        assertThatThrownBy(() -> client.tcp("slow.test", Type.MX)).isInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void aSilentZoneNeverAnswersItsApexNorAnyNameBelow() throws IOException {
        dns.silentZone("dead.test").a("alive.test", "127.0.0.1");
        assertThatThrownBy(() -> query("dead.test", Type.MX)).isInstanceOf(SocketTimeoutException.class);
        assertThatThrownBy(() -> query("r123.dead.test", Type.MX)).isInstanceOf(SocketTimeoutException.class);
        assertThatThrownBy(() -> query("a.b.dead.test", Type.A)).isInstanceOf(SocketTimeoutException.class);
        assertThat(query("notdead.test", Type.MX).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(rdata(query("alive.test", Type.A))).isEqualTo("127.0.0.1");
        assertThat(dns.queryCountUnder("dead.test")).isEqualTo(3);
    }

    @Test
    void answersOverTcp() throws IOException {
        assertThat(rdata(client.tcp("mail.example.test", Type.A))).isEqualTo("127.0.0.1");
    }

    @Test
    void tooLargeForUdpIsTruncatedAndWholeOverTcp() throws IOException {
        for (int i = 1; i <= 60; i++) {
            dns.a("many.test", "127.0.1." + i);
        }

        Message udp = client.udp("many.test", Type.A);
        assertThat(udp.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(udp.toWire().length).isLessThanOrEqualTo(512);

        Message tcp = client.tcp("many.test", Type.A);
        assertThat(tcp.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(tcp.getSection(Section.ANSWER)).hasSize(60);
    }

    @Test
    void recordTakesAnyTtl() throws IOException {
        dns.record(new ARecord(Name.fromString("short.test."), DClass.IN, 1, InetAddress.getByName("127.0.0.9")));
        assertThat(query("short.test", Type.A).getSection(Section.ANSWER).get(0).getTTL())
                .isEqualTo(1);
    }

    @Test
    void countsQueriesPerName() throws IOException {
        query("example.test", Type.MX);
        query("example.test", Type.A);
        query("nowhere.test", Type.A);

        assertThat(dns.queryCount("example.test")).isEqualTo(2);
        assertThat(dns.queryCount("Example.Test.")).isEqualTo(2);
        assertThat(dns.queryCount("nowhere.test")).isEqualTo(1);
        assertThat(dns.queryCount("mail.example.test")).isZero();
        assertThat(dns.queryCount()).isEqualTo(3);
    }

    @Test
    void rejectsBadAddresses() {
        assertThatThrownBy(() -> dns.a("x.test", "::1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dns.aaaa("x.test", "127.0.0.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dns.ptr("not-an-ip", "x.test")).isInstanceOf(IllegalArgumentException.class);
    }

    private Message query(String name, int type) throws IOException {
        return client.udp(name, type);
    }

    private static String rdata(Message answer) {
        return answer.getSection(Section.ANSWER).get(0).rdataToString();
    }
}
