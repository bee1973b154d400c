package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.testing.LoopbackDnsServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rules 7 and 8 against the packaged server and a real DNS server on loopback (UDP and TCP, in this JVM): the
 * server only knows its address and port, from {@code <dns><servers>}. Clients: 127.0.0.2 has a PTR, 127.0.0.3 has
 * none, the reverse lookup of 127.0.0.4 fails (SERVFAIL), that of 127.0.0.5 is never answered; 127.0.0.6 has a PTR
 * and asks for sender domains whose lookups fail; 127.0.0.1 is exempt.
 */
class DnsRulesIT {
    private static final Duration DNS_TIMEOUT = Duration.ofSeconds(2);
    private static final String WITH_PTR = "127.0.0.2";
    private static final String TROUBLED = "127.0.0.6";
    private static final String PIPELINING = "127.0.0.7";

    private static LoopbackDnsServer dns;
    private static ShieldServer server;

    @BeforeAll
    static void start() {
        dns = new LoopbackDnsServer()
                .mx("mx.test", 10, "mail.mx.test")
                .a("mail.mx.test", "127.0.0.1")
                .a("aonly.test", "192.0.2.1")
                .aaaa("aaaaonly.test", "2001:db8::1")
                .a("host.norecords.test", "192.0.2.2") // norecords.test exists, without MX, A or AAAA
                .nullMx("nullmx.test")
                .servfail("servfail.test")
                .silent("silent.test")
                .ptr("127.0.0.2", "client.example.test")
                .ptr(TROUBLED, "troubled.example.test")
                .ptr(PIPELINING, "pipelining.example.test")
                .silentZone("held.test")
                .servfail("4.0.0.127.in-addr.arpa")
                .silent("5.0.0.127.in-addr.arpa");
        server = TestPolicy.trustOnlyLocalhost(ShieldServer.prepare())
                .writeConf("smtpshield.xml", """
                <smtpshield>
                  <exempt>
                    <networks>127.0.0.1/32</networks>
                  </exempt>
                  <dns timeout="%dms">
                    <servers>127.0.0.1:%d</servers>
                    <rejectUnknownSenderDomain>true</rejectUnknownSenderDomain>
                    <rejectClientWithoutPtr>true</rejectClientWithoutPtr>
                  </dns>
                </smtpshield>
                """.formatted(DNS_TIMEOUT.toMillis(), dns.port()))
                .start();
        server.webAdmin().createUser("example.test", "alice@example.test", "secret");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    private static SmtpClient connect(String source) {
        SmtpClient smtp = SmtpClient.connect(source, server.smtpPort());
        assertThat(smtp.greeting().code()).isEqualTo(220);
        assertThat(smtp.send("EHLO client.example.test").code()).isEqualTo(250);
        return smtp;
    }

    /** The reply to MAIL FROM, then RSET so that the next MAIL FROM starts afresh. */
    private static String mailFrom(SmtpClient smtp, String sender) {
        String reply = smtp.send("MAIL FROM:<" + sender + ">").line();
        assertThat(smtp.send("RSET").code()).isEqualTo(250);
        return reply;
    }

    @Test
    void aSenderDomainWithAnMxOrAnAddressIsAccepted() {
        try (SmtpClient smtp = connect(WITH_PTR)) {
            assertThat(mailFrom(smtp, "bob@mx.test")).startsWith("250 ");
            assertThat(mailFrom(smtp, "bob@aonly.test")).startsWith("250 ");
            assertThat(mailFrom(smtp, "bob@aaaaonly.test")).startsWith("250 ");
        }
        assertThat(dns.queryCount("mx.test"))
                .as("asked the loopback DNS server")
                .isPositive();
    }

    @Test
    void aSenderDomainThatDoesNotExistOrHasNoRecordsIsRefusedPermanently() {
        try (SmtpClient smtp = connect(WITH_PTR)) {
            assertThat(mailFrom(smtp, "bob@nxdomain.test"))
                    .isEqualTo("550 5.1.8 Sender address rejected: domain not found in DNS");
            assertThat(mailFrom(smtp, "bob@norecords.test"))
                    .isEqualTo("550 5.1.8 Sender address rejected: domain not found in DNS");
        }
        assertThat(server.securityLog())
                .contains("SMTP MAIL from 127.0.0.2 rejected: sender domain not found in DNS (domain nxdomain.test)");
    }

    @Test
    void aNullMxSenderDomainIsRefused() {
        try (SmtpClient smtp = connect(WITH_PTR)) {
            assertThat(mailFrom(smtp, "bob@nullmx.test"))
                    .isEqualTo("550 5.7.27 Sender address rejected: domain accepts no mail (null MX)");
        }
    }

    @Test
    void aDnsFailureOnTheSenderDomainIsOnlyATemporaryRefusal() {
        // A client of its own: its DNS trouble is remembered for a while, and answered 450 at once meanwhile
        try (SmtpClient smtp = connect(TROUBLED)) {
            assertThat(mailFrom(smtp, "bob@servfail.test"))
                    .isEqualTo("450 4.1.8 Sender domain could not be checked in DNS, try again later");
            long start = System.nanoTime();
            assertThat(mailFrom(smtp, "bob@silent.test"))
                    .isEqualTo("450 4.1.8 Sender domain could not be checked in DNS, try again later");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("bounded by the DNS timeout")
                    .isLessThan(DNS_TIMEOUT.plusSeconds(3));
            assertThat(mailFrom(smtp, "bob@never-asked.test"))
                    .as("a domain the server has not looked up yet: not asked for this client for a while")
                    .isEqualTo("450 4.1.8 Sender domain could not be checked in DNS, try again later");
        }
    }

    @Test
    void linesPipelinedBehindAMailFromWaitingForDnsAreAnsweredInOrder() {
        try (SmtpClient smtp = connect(PIPELINING)) {
            smtp.write(String.join(
                    "\r\n",
                    "MAIL FROM:<bob@r1.held.test>",
                    "RSET",
                    "MAIL FROM:<>",
                    "RCPT TO:<alice@example.test>",
                    "QUIT",
                    ""));
            assertThat(smtp.readReply().line())
                    .isEqualTo("450 4.1.8 Sender domain could not be checked in DNS, try again later");
            assertThat(smtp.readReply().code()).as("RSET").isEqualTo(250);
            assertThat(smtp.readReply().code()).as("MAIL FROM:<>").isEqualTo(250);
            assertThat(smtp.readReply().code()).as("RCPT TO").isEqualTo(250);
            assertThat(smtp.readReply().code()).as("QUIT").isEqualTo(221);
        }
    }

    @Test
    void theNullSenderAndAddressLiteralsAreNotLookedUp() {
        try (SmtpClient smtp = connect(WITH_PTR)) {
            assertThat(mailFrom(smtp, "")).startsWith("250 ");
            assertThat(mailFrom(smtp, "bob@[192.0.2.1]")).startsWith("250 ");
        }
        assertThat(dns.queryCount("192.0.2.1")).isZero();
    }

    @Test
    void aClientWithoutPtrIsRefusedAtMailFrom() {
        try (SmtpClient smtp = connect("127.0.0.3")) {
            assertThat(mailFrom(smtp, "bob@mx.test"))
                    .isEqualTo("550 5.7.25 Client address 127.0.0.3 has no reverse DNS (PTR)");
        }
        assertThat(server.securityLog()).contains("SMTP MAIL from 127.0.0.3 rejected: client has no reverse DNS (PTR)");
    }

    @Test
    void aDnsFailureOnTheClientPtrIsOnlyATemporaryRefusal() {
        try (SmtpClient servfail = connect("127.0.0.4");
                SmtpClient silent = connect("127.0.0.5")) {
            assertThat(mailFrom(servfail, "bob@mx.test"))
                    .isEqualTo("450 4.7.25 Reverse DNS of 127.0.0.4 could not be checked, try again later");
            assertThat(mailFrom(silent, "bob@mx.test"))
                    .isEqualTo("450 4.7.25 Reverse DNS of 127.0.0.5 could not be checked, try again later");
        }
    }

    @Test
    void theExemptNetworkIsNotChecked() {
        try (SmtpClient smtp = connect("127.0.0.1")) {
            assertThat(mailFrom(smtp, "bob@nxdomain-from-exempt.test")).startsWith("250 ");
        }
        assertThat(dns.queryCount("nxdomain-from-exempt.test")).isZero();
        assertThat(dns.queryCount("1.0.0.127.in-addr.arpa")).isZero();
    }

    @Test
    void aClientWithPtrAndAKnownSenderDomainDelivers() {
        try (SmtpClient smtp = connect(WITH_PTR)) {
            SmtpClient.Reply sent =
                    smtp.sendMail("bob@mx.test", List.of("alice@example.test"), "Subject: checked\r\n\r\nHello.");
            assertThat(sent.code()).as(sent.toString()).isEqualTo(250);
        }
    }
}
