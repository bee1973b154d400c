package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shield's WebAdmin routes and James's {@code GET /metrics} on the packaged server: an operator blocks and
 * lifts a client address, sees its live counters and the effective policy. Each test uses its own loopback
 * source address (127.0.0.1, the only exempt one here, is never used as a client).
 */
class WebAdminRoutesIT {
    private static final String POLICY = """
        <smtpshield>
          <exempt>
            <networks>127.0.0.1/32</networks>
            <authenticatedUsers>true</authenticatedUsers>
          </exempt>
          <perIp ipv4Prefix="32" ipv6Prefix="64" maxTrackedClients="5000">
            <maxMessagesPerHour>7</maxMessagesPerHour>
            <maxConcurrentConnections>5</maxConcurrentConnections>
            <maxUnknownRecipients window="10m" blockFor="45m" mode="observe">3</maxUnknownRecipients>
          </perIp>
          <session>
            <maxFailedCommands>4</maxFailedCommands>
            <maxRecipientsPerMessage>20</maxRecipientsPerMessage>
            <maxMessageSize>2M</maxMessageSize>
          </session>
          <dns timeout="3s">
            <rejectUnknownSenderDomain>false</rejectUnknownSenderDomain>
            <rejectClientWithoutPtr>false</rejectClientWithoutPtr>
          </dns>
          <relay><allowOpenRelay>false</allowOpenRelay></relay>
          <store type="memory"/>
        </smtpshield>
        """;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ShieldServer server;
    private static WebAdminClient webAdmin;

    @BeforeAll
    static void start() {
        server = TestPolicy.trustOnlyLocalhost(ShieldServer.prepare())
                .writeConf("smtpshield.xml", POLICY)
                .start();
        webAdmin = server.webAdmin();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anOperatorBlocksAnAddressAndLiftsTheBlockAtOnce() throws Exception {
        HttpResponse<String> put = webAdmin.put("/smtpshield/blocked/127.0.0.2", "{\"reason\": \"abuse report 42\"}");

        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        JsonNode block = JSON.readTree(put.body());
        assertThat(block.get("ip").asText()).isEqualTo("127.0.0.2");
        assertThat(block.get("reason").asText()).isEqualTo("abuse report 42");
        // No duration given: the harvest rule's blockFor.
        assertThat(Duration.between(
                        Instant.parse(block.get("since").asText()),
                        Instant.parse(block.get("until").asText())))
                .isEqualTo(Duration.ofMinutes(45));

        try (SmtpClient blocked = SmtpClient.connect("127.0.0.2", server.smtpPort())) {
            assertThat(blocked.greeting().line()).startsWith("421 4.7.1 ").contains("127.0.0.2");
            assertThat(blocked.isClosedByServer()).isTrue();
        }
        try (SmtpClient other = SmtpClient.connect("127.0.0.3", server.smtpPort())) {
            assertThat(other.greeting().line()).startsWith("220 ");
            assertThat(other.send("QUIT").code()).isEqualTo(221);
        }

        JsonNode listed = JSON.readTree(webAdmin.get("/smtpshield/blocked").body());
        assertThat(listed.findValuesAsText("ip")).contains("127.0.0.2");
        assertThat(listed).contains(block);

        assertThat(webAdmin.delete("/smtpshield/blocked/127.0.0.2").statusCode())
                .isEqualTo(204);

        try (SmtpClient lifted = SmtpClient.connect("127.0.0.2", server.smtpPort())) {
            assertThat(lifted.greeting().line()).startsWith("220 ");
            assertThat(lifted.send("QUIT").code()).isEqualTo(221);
        }
        assertThat(JSON.readTree(webAdmin.get("/smtpshield/blocked").body()).findValuesAsText("ip"))
                .doesNotContain("127.0.0.2");
        assertThat(server.securityLog())
                .contains("Block of 127.0.0.2 started until")
                .contains("SMTP connection from 127.0.0.2 rejected: blocked")
                .contains("Block of 127.0.0.2 lifted by an operator: abuse report 42");
    }

    @Test
    void liftingAnAddressThatIsNotBlockedIs404() throws Exception {
        HttpResponse<String> delete = webAdmin.delete("/smtpshield/blocked/127.0.0.5");

        assertThat(delete.statusCode()).isEqualTo(404);
        JsonNode error = JSON.readTree(delete.body());
        assertThat(error.get("statusCode").asInt()).isEqualTo(404);
        assertThat(error.get("type").asText()).isEqualTo("notFound");
        assertThat(error.get("message").asText()).isEqualTo("127.0.0.5 is not blocked");
    }

    @Test
    void anExemptAddressCannotBeBlocked() throws Exception {
        HttpResponse<String> put = webAdmin.put("/smtpshield/blocked/127.0.0.1");

        assertThat(put.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(put.body()).get("type").asText()).isEqualTo("WrongState");
    }

    @Test
    void countersShowTheLiveConnectionsOfAnAddress() throws Exception {
        try (SmtpClient first = SmtpClient.connect("127.0.0.4", server.smtpPort());
                SmtpClient second = SmtpClient.connect("127.0.0.4", server.smtpPort())) {
            assertThat(first.greeting().line()).startsWith("220 ");
            assertThat(second.greeting().line()).startsWith("220 ");

            HttpResponse<String> response = webAdmin.get("/smtpshield/counters/127.0.0.4");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode counters = JSON.readTree(response.body());
            assertThat(counters.get("ip").asText()).isEqualTo("127.0.0.4");
            assertThat(counters.get("exempt").asBoolean()).isFalse();
            assertThat(counters.get("connections").asInt()).isEqualTo(2);
            assertThat(counters.get("messages").asInt()).isZero();
            assertThat(counters.get("messagesLeft").asInt()).isEqualTo(7);
            assertThat(counters.get("unknownRecipients").asInt()).isZero();
            assertThat(counters.get("block").isNull()).isTrue();
        }
        Awaitility.await("the connections of 127.0.0.4 to be released")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> JSON.readTree(webAdmin.get("/smtpshield/counters/127.0.0.4")
                                        .body())
                                .get("connections")
                                .asInt()
                        == 0);
    }

    @Test
    void aMalformedIpIs400WithAJsonErrorAndNeverA500() throws Exception {
        for (String ip : List.of("999.1.1.1", "abc", "1.2.3.4/99", "localhost", "10.0.0.0%2F8")) {
            for (HttpResponse<String> response : List.of(
                    webAdmin.put("/smtpshield/blocked/" + ip),
                    webAdmin.delete("/smtpshield/blocked/" + ip),
                    webAdmin.get("/smtpshield/counters/" + ip))) {
                assertThat(response.statusCode())
                        .as(response.request().method() + " " + ip + ": " + response.body())
                        .isEqualTo(400);
                JsonNode error = JSON.readTree(response.body());
                assertThat(error.get("statusCode").asInt()).isEqualTo(400);
                assertThat(error.get("type").asText()).isEqualTo("InvalidArgument");
                assertThat(error.get("message").asText()).isNotBlank();
            }
        }
    }

    @Test
    void thePolicyIsTheEffectiveSmtpshieldXml() throws Exception {
        HttpResponse<String> response = webAdmin.get("/smtpshield/policy");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode policy = JSON.readTree(response.body());
        assertThat(policy.at("/exempt/networks")).isEqualTo(JSON.readTree("[\"127.0.0.1/32\"]"));
        assertThat(policy.at("/perIp/maxTrackedClients").asLong()).isEqualTo(5000);
        assertThat(policy.at("/perIp/maxMessagesPerHour"))
                .isEqualTo(JSON.readTree("{\"enabled\": true, \"limit\": 7, \"mode\": \"enforce\"}"));
        assertThat(policy.at("/perIp/maxConcurrentConnections/limit").asLong()).isEqualTo(5);
        assertThat(policy.at("/perIp/maxUnknownRecipients"))
                .isEqualTo(
                        JSON.readTree(
                                "{\"enabled\": true, \"limit\": 3, \"window\": \"10m\", \"blockFor\": \"45m\", \"mode\": \"observe\"}"));
        assertThat(policy.at("/session/maxFailedCommands/limit").asLong()).isEqualTo(4);
        assertThat(policy.at("/session/maxMessageSize/limit").asLong()).isEqualTo(2 * 1024 * 1024);
        assertThat(policy.at("/dns/timeout").asText()).isEqualTo("3s");
        assertThat(policy.at("/dns/rejectClientWithoutPtr/enabled").asBoolean()).isFalse();
        assertThat(policy.at("/relay/allowOpenRelay").asBoolean()).isFalse();
        assertThat(policy.at("/store/type").asText()).isEqualTo("memory");
    }

    @Test
    void metricsShowTheShieldsCounters() {
        webAdmin.put("/smtpshield/blocked/127.0.0.6?duration=10m");
        try (SmtpClient blocked = SmtpClient.connect("127.0.0.6", server.smtpPort())) {
            assertThat(blocked.greeting().code()).isEqualTo(421);
        }
        webAdmin.delete("/smtpshield/blocked/127.0.0.6");

        HttpResponse<String> metrics = webAdmin.get("/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("smtpshield_maxConcurrentConnections_rejected")
                .contains("smtpshield_maxMessagesPerHour_observed")
                .contains("smtpshield_rejectClientWithoutPtr_rejected");
        // A blocked client is counted under the harvest rule, which owns blocks.
        assertThat(sample(metrics.body(), "smtpshield_maxUnknownRecipients_rejected"))
                .isGreaterThanOrEqualTo(1);
    }

    /** The value of a Prometheus sample, whether the exporter added {@code _total} or not. */
    private static double sample(String metrics, String name) {
        Matcher sample = Pattern.compile("^" + name + "(?:_total)? (\\S+)$", Pattern.MULTILINE)
                .matcher(metrics);
        assertThat(sample.find()).as(name + " in\n" + metrics).isTrue();
        return Double.parseDouble(sample.group(1));
    }
}
