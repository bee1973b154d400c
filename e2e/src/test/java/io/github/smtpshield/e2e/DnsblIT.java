package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.smtpshield.testing.LoopbackDnsServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DNSBL/DNSWL screening against the packaged server and test zones on the loopback DNS server: {@code zen.test}
 * (weight 3), {@code bl.test} (weight 1, only the codes 127.0.0.2 and 127.0.0.4-127.0.0.7 count), {@code wl.test}
 * (an allowlist, weight -5) and {@code dead.test} (weight 3, never answers); threshold 3. Clients: 127.0.0.2 is in
 * zen.test; 127.0.0.3 is in bl.test with a code that does not count; 127.0.0.4 is in zen.test, bl.test and wl.test
 * (3 + 1 - 5); 127.0.0.5 is in zen.test and bl.test; 127.0.0.6 is in no list; 127.0.0.1 is exempt.
 */
class DnsblIT {
    private static final Duration DNS_TIMEOUT = Duration.ofSeconds(1);

    private static LoopbackDnsServer dns;
    private static ShieldServer server;

    @BeforeAll
    static void start() {
        dns = new LoopbackDnsServer()
                .a("2.0.0.127.zen.test", "127.0.0.2")
                .a("3.0.0.127.bl.test", "127.0.0.9")
                .a("4.0.0.127.zen.test", "127.0.0.2")
                .a("4.0.0.127.bl.test", "127.0.0.4")
                .a("4.0.0.127.wl.test", "127.0.0.2")
                .a("5.0.0.127.zen.test", "127.0.0.10")
                .a("5.0.0.127.bl.test", "127.0.0.7")
                .silentZone("dead.test");
        server = TestPolicy.trustOnlyLocalhost(ShieldServer.prepare())
                .writeConf("smtpshield.xml", """
                <smtpshield>
                  <exempt>
                    <networks>127.0.0.1/32</networks>
                  </exempt>
                  <session>
                    <maxFailedCommands>3</maxFailedCommands>
                  </session>
                  <dns timeout="%dms">
                    <servers>127.0.0.1:%d</servers>
                  </dns>
                  <screening>
                    <dnsbl threshold="3">
                      <zone weight="3">zen.test</zone>
                      <zone weight="1" codes="127.0.0.2,127.0.0.4-127.0.0.7">bl.test</zone>
                      <zone weight="-5">wl.test</zone>
                      <zone weight="3">dead.test</zone>
                    </dnsbl>
                    <passCache ttl="1h"/>
                  </screening>
                </smtpshield>
                """.formatted(DNS_TIMEOUT.toMillis(), dns.port()))
                .start();
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
        assertThat(smtp.send("EHLO client.test").code()).isEqualTo(250);
        return smtp;
    }

    @Test
    void aListedClientIsRefusedAtEveryMailFromAndItCountsAsFailedCommands() {
        try (SmtpClient smtp = connect("127.0.0.2")) {
            for (int i = 0; i < 3; i++) {
                assertThat(smtp.send("MAIL FROM:<bob@client.test>").line())
                        .isEqualTo("550 5.7.1 Service unavailable; client [127.0.0.2] blocked using zen.test");
            }
            assertThat(smtp.send("MAIL FROM:<bob@client.test>").line())
                    .as("the fourth failed command, over maxFailedCommands")
                    .startsWith("421 4.7.0 ");
        }
        assertThat(server.securityLog())
                .contains("SMTP MAIL from 127.0.0.2 rejected: client listed in DNS blocklists"
                        + " (score 3, threshold 3: zen.test)");
    }

    @Test
    void theScoreAddsTheWeightsOfTheListsThatCount() {
        try (SmtpClient smtp = connect("127.0.0.5")) {
            assertThat(smtp.send("MAIL FROM:<bob@client.test>").line())
                    .isEqualTo("550 5.7.1 Service unavailable; client [127.0.0.5] blocked using zen.test, bl.test");
        }
    }

    @Test
    void aFilteredCodeAnAllowlistAndAZoneThatNeverAnswersLetTheClientThrough() {
        for (String client : new String[] {"127.0.0.3", "127.0.0.4", "127.0.0.6"}) {
            try (SmtpClient smtp = connect(client)) {
                long start = System.nanoTime();
                assertThat(smtp.send("MAIL FROM:<bob@client.test>").line())
                        .as(client)
                        .startsWith("250 ");
                assertThat(Duration.ofNanos(System.nanoTime() - start))
                        .as("at most the DNS timeout, for the zone that never answers")
                        .isLessThan(DNS_TIMEOUT.plusSeconds(2));
            }
        }
    }

    @Test
    void aClientThatPassedIsNotLookedUpAgainAndWebAdminTellsWhy() throws Exception {
        try (SmtpClient smtp = connect("127.0.0.6")) {
            assertThat(smtp.send("MAIL FROM:<bob@client.test>").code()).isEqualTo(250);
        }
        int asked = dns.queryCountUnder("zen.test");
        try (SmtpClient smtp = connect("127.0.0.6")) {
            assertThat(smtp.send("MAIL FROM:<bob@client.test>").code()).isEqualTo(250);
        }
        assertThat(dns.queryCountUnder("zen.test")).as("from the pass cache").isEqualTo(asked);

        JsonNode passed = screening("127.0.0.6");
        assertThat(passed.get("fromPassCache").asBoolean()).isTrue();
        assertThat(passed.get("listed").asBoolean()).isFalse();
        JsonNode listed = screening("127.0.0.5");
        assertThat(listed.get("score").asInt()).isEqualTo(4);
        assertThat(listed.get("listed").asBoolean()).isTrue();
        assertThat(listed.get("fromPassCache").asBoolean()).isFalse();
        assertThat(listed.get("zones").toString()).isEqualTo("[\"zen.test\",\"bl.test\"]");
        assertThat(listed.get("failed").toString()).isEqualTo("[\"dead.test\"]");
        assertThat(server.webAdmin().get("/smtpshield/screening/not-an-ip").statusCode())
                .isEqualTo(400);
    }

    @Test
    void theExemptNetworkIsNotScreened() {
        try (SmtpClient smtp = connect("127.0.0.1")) {
            assertThat(smtp.send("MAIL FROM:<bob@client.test>").code()).isEqualTo(250);
        }
        assertThat(dns.queryCount("1.0.0.127.zen.test")).isZero();
    }

    @Test
    void theMetricsCountEachZoneAndOutcome() {
        try (SmtpClient smtp = connect("127.0.0.2")) {
            smtp.send("MAIL FROM:<bob@client.test>");
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(server.webAdmin().get("/metrics").body())
                                .contains("smtpshield_dnsbl_rejected")
                                .contains("smtpshield_dnsbl_zone_zen_test_listed")
                                .contains("smtpshield_dnsbl_zone_dead_test_failed")
                                .contains("smtpshield_dnsbl_screening_blocked"));
    }

    private static JsonNode screening(String ip) throws Exception {
        HttpResponse<String> response = server.webAdmin().get("/smtpshield/screening/" + ip);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }
}
