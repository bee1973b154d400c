package io.github.smtpshield.webadmin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.smtpshield.policy.Enforcement;
import io.github.smtpshield.policy.SecurityLog;
import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.ShieldMetrics;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.config.ShieldConfigParser;
import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.store.ClientStore;
import io.github.smtpshield.policy.store.MemoryClientStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import spark.Service;

/** The routes on a real HTTP server (Spark, as in WebAdmin) over a memory store, without James's error handlers. */
class ShieldRoutesTest {
    private static final String POLICY = """
        <smtpshield>
          <exempt><networks>192.0.2.0/24, 2001:db8:ffff::/48</networks></exempt>
          <perIp ipv4Prefix="32" ipv6Prefix="64">
            <maxMessagesPerHour>20</maxMessagesPerHour>
            <maxConcurrentConnections mode="observe">3</maxConcurrentConnections>
            <maxUnknownRecipients window="10m" blockFor="90s">5</maxUnknownRecipients>
          </perIp>
          <session><maxMessageSize>1M</maxMessageSize></session>
          <dns timeout="2s"><servers>127.0.0.1:5353, [::1]:53</servers><rejectClientWithoutPtr>true</rejectClientWithoutPtr></dns>
        </smtpshield>
        """;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Service service;
    private ClientStore store;
    private int port;

    private void serve(String policy) throws Exception {
        ShieldConfig config =
                ShieldConfigParser.parse(new ByteArrayInputStream(policy.getBytes(UTF_8)), "smtpshield.xml");
        store = MemoryClientStore.builder().build();
        Shield shield = new Shield(config, store, new Enforcement(new SecurityLog(), ShieldMetrics.NONE));
        service = Service.ignite().port(0);
        new ShieldRoutes(shield, new JsonTransformer()).define(service);
        service.awaitInitialization();
        port = service.port();
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.stop();
            service.awaitStop();
        }
    }

    @Test
    void anOperatorBlocksListsAndLiftsAnAddress() throws Exception {
        serve(POLICY);
        assertThat(call("GET", "/smtpshield/blocked", null).body()).isEqualTo("[]");

        HttpResponse<String> put = call("PUT", "/smtpshield/blocked/203.0.113.5", null);

        assertThat(put.statusCode()).isEqualTo(201);
        JsonNode block = JSON.readTree(put.body());
        assertThat(block.get("ip").asText()).isEqualTo("203.0.113.5");
        assertThat(block.get("reason").asText()).isEqualTo("manual");
        // The default length is the harvest rule's blockFor.
        assertThat(Duration.between(
                        Instant.parse(block.get("since").asText()),
                        Instant.parse(block.get("until").asText())))
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(store.activeBlock(key("203.0.113.5"))).isPresent();
        JsonNode listed = JSON.readTree(call("GET", "/smtpshield/blocked", null).body());
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0)).isEqualTo(block);

        assertThat(call("DELETE", "/smtpshield/blocked/203.0.113.5", null).statusCode())
                .isEqualTo(204);
        assertThat(store.activeBlock(key("203.0.113.5"))).isEmpty();
        assertThat(call("GET", "/smtpshield/blocked", null).body()).isEqualTo("[]");
    }

    @Test
    void liftingAnAddressThatIsNotBlockedIs404() throws Exception {
        serve(POLICY);

        HttpResponse<String> delete = call("DELETE", "/smtpshield/blocked/203.0.113.5", null);

        assertThat(delete.statusCode()).isEqualTo(404);
        JsonNode error = JSON.readTree(delete.body());
        assertThat(error.get("statusCode").asInt()).isEqualTo(404);
        assertThat(error.get("type").asText()).isEqualTo("notFound");
        assertThat(error.get("message").asText()).isEqualTo("203.0.113.5 is not blocked");
    }

    @Test
    void reasonAndDurationComeFromTheBodyOrTheQuery() throws Exception {
        serve(POLICY);

        HttpResponse<String> fromBody =
                call("PUT", "/smtpshield/blocked/203.0.113.5", "{\"reason\": \"spam run\", \"duration\": \"2h\"}");
        HttpResponse<String> fromQuery =
                call("PUT", "/smtpshield/blocked/203.0.113.6?reason=abuse%20desk&duration=1d", null);
        HttpResponse<String> replaced = call("PUT", "/smtpshield/blocked/203.0.113.5?duration=30m", null);

        assertThat(fromBody.statusCode()).isEqualTo(201);
        assertThat(lengthOf(fromBody)).isEqualTo(Duration.ofHours(2));
        assertThat(JSON.readTree(fromBody.body()).get("reason").asText()).isEqualTo("spam run");
        assertThat(fromQuery.statusCode()).isEqualTo(201);
        assertThat(lengthOf(fromQuery)).isEqualTo(Duration.ofDays(1));
        assertThat(JSON.readTree(fromQuery.body()).get("reason").asText()).isEqualTo("abuse desk");
        assertThat(replaced.statusCode()).isEqualTo(200);
        assertThat(lengthOf(replaced)).isEqualTo(Duration.ofMinutes(30));
        assertThat(store.blocks()).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "?duration=0s",
                "?duration=5",
                "?duration=1y",
                "?duration=366d",
                "?duration=-1h",
                "?reason=%20",
                "?reason=a%0Ab",
                "?reason=x&duration=1h&reason=y"
            })
    void aBadReasonOrDurationIs400(String query) throws Exception {
        serve(POLICY);

        HttpResponse<String> put = call("PUT", "/smtpshield/blocked/203.0.113.5" + query, null);

        assertInvalidArgument(put);
        assertThat(store.blocks()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"reason\": \"x\", \"until\": \"tomorrow\"}", "not json", "[1]", "{\"duration\": 3600}"})
    void aBadBodyIs400(String body) throws Exception {
        serve(POLICY);

        assertInvalidArgument(call("PUT", "/smtpshield/blocked/203.0.113.5", body));
        assertThat(store.blocks()).isEmpty();
    }

    @Test
    void aFieldInBothBodyAndQueryIs400() throws Exception {
        serve(POLICY);

        assertInvalidArgument(call("PUT", "/smtpshield/blocked/203.0.113.5?reason=a", "{\"reason\": \"b\"}"));
    }

    @Test
    void anExemptAddressIsNeverBlocked() throws Exception {
        serve(POLICY);

        HttpResponse<String> put = call("PUT", "/smtpshield/blocked/192.0.2.7", null);

        assertThat(put.statusCode()).isEqualTo(409);
        JsonNode error = JSON.readTree(put.body());
        assertThat(error.get("type").asText()).isEqualTo("WrongState");
        assertThat(error.get("message").asText()).contains("192.0.2.7 is in an exempt network");
        assertThat(store.blocks()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "999.1.1.1",
                "abc",
                "1.2.3.4%2F99",
                "1.2.3.4/99",
                "1.2.3.4/abc",
                "10.0.0.0%2F8",
                "2001:db8::%2F32",
                "localhost",
                "example.com",
                "1.2.3",
                "01.2.3.4",
                "fe80::1%25eth0",
                "%5B::1%5D",
                "1.2.3.4%20",
                "%20"
            })
    void aMalformedIpIs400WithAJsonErrorOnEveryRoute(String ip) throws Exception {
        serve(POLICY);

        for (String[] route : new String[][] {
            {"PUT", "/smtpshield/blocked/"}, {"DELETE", "/smtpshield/blocked/"}, {"GET", "/smtpshield/counters/"}
        }) {
            HttpResponse<String> response = call(route[0], route[1] + ip, null);
            assertInvalidArgument(response);
            assertThat(JSON.readTree(response.body()).get("message").asText())
                    .as(route[0] + " " + ip)
                    .contains("'");
        }
        assertThat(store.blocks()).isEmpty();
    }

    @Test
    void aCidrIsWidenedToTheGroupingAndItsSlashMayBeEncoded() throws Exception {
        serve(POLICY.replace("ipv4Prefix=\"32\"", "ipv4Prefix=\"24\""));

        HttpResponse<String> put = call("PUT", "/smtpshield/blocked/198.51.100.7", null);

        assertThat(JSON.readTree(put.body()).get("ip").asText()).isEqualTo("198.51.100.0/24");
        assertThat(call("GET", "/smtpshield/counters/198.51.100.0%2F24", null).body())
                .contains("\"ip\":\"198.51.100.0/24\"");
        assertThat(call("GET", "/smtpshield/counters/198.51.100.128/25", null).body())
                .contains("\"ip\":\"198.51.100.0/24\"");
        assertThat(call("DELETE", "/smtpshield/blocked/198.51.100.0/24", null).statusCode())
                .isEqualTo(204);
        assertThat(store.blocks()).isEmpty();
    }

    @Test
    void countersShowWhatTheStoreCountsForTheKey() throws Exception {
        serve(POLICY);
        IpPrefix key = key("2001:db8:1:2::7");
        store.tryConnect(key, 0);
        store.tryConnect(key, 0);
        store.takeMessage(key, 20, true);
        store.recordUnknownRecipient(key, 5, Duration.ofMinutes(10), Duration.ofSeconds(90), true);
        store.block(key, "test", Duration.ofMinutes(5));

        HttpResponse<String> response = call("GET", "/smtpshield/counters/2001:db8:1:2:ffff::1", null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode counters = JSON.readTree(response.body());
        assertThat(counters.get("ip").asText()).isEqualTo("2001:db8:1:2::/64");
        assertThat(counters.get("exempt").asBoolean()).isFalse();
        assertThat(counters.get("connections").asInt()).isEqualTo(2);
        assertThat(counters.get("messages").asInt()).isEqualTo(1);
        assertThat(counters.get("messagesLeft").asInt()).isEqualTo(19);
        assertThat(counters.get("unknownRecipients").asInt()).isEqualTo(1);
        assertThat(counters.get("block").get("reason").asText()).isEqualTo("test");
    }

    @Test
    void countersOfAQuietExemptAddress() throws Exception {
        serve(POLICY);

        JsonNode counters = JSON.readTree(
                call("GET", "/smtpshield/counters/2001:db8:ffff:1::1", null).body());

        assertThat(counters.get("exempt").asBoolean()).isTrue();
        assertThat(counters.get("connections").asInt()).isZero();
        assertThat(counters.get("messagesLeft").asInt()).isEqualTo(20);
        assertThat(counters.get("block").isNull()).isTrue();
    }

    @Test
    void thePolicyIsTheEffectiveFile() throws Exception {
        serve(POLICY);

        HttpResponse<String> response = call("GET", "/smtpshield/policy", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree("""
            {
              "exempt": {"networks": ["192.0.2.0/24", "2001:db8:ffff::/48"], "authenticatedUsers": true},
              "trustedProxies": [],
              "perIp": {
                "ipv4Prefix": 32, "ipv6Prefix": 64, "maxTrackedClients": 1000000,
                "maxMessagesPerHour": {"enabled": true, "limit": 20, "mode": "enforce"},
                "maxConcurrentConnections": {"enabled": true, "limit": 3, "mode": "observe"},
                "maxUnknownRecipients": {"enabled": true, "limit": 5, "window": "10m", "blockFor": "90s", "mode": "enforce"}
              },
              "session": {
                "maxFailedCommands": {"enabled": false, "limit": 0, "mode": "enforce"},
                "maxRecipientsPerMessage": {"enabled": false, "limit": 0, "mode": "enforce"},
                "maxMessageSize": {"enabled": true, "limit": 1048576, "mode": "enforce"},
                "maxDuration": {"enabled": true, "limit": "10m", "mode": "enforce"}
              },
              "dns": {
                "timeout": "2s", "servers": ["127.0.0.1:5353", "[::1]:53"],
                "rejectUnknownSenderDomain": {"enabled": false, "mode": "enforce"},
                "rejectClientWithoutPtr": {"enabled": true, "mode": "enforce"}
              },
              "relay": {"allowOpenRelay": false},
              "store": {"type": "memory", "onFailure": "open"},
              "screening": {
                "dnsbl": {"enabled": false, "threshold": 1, "zones": [], "passCacheTtl": "1h", "mode": "enforce"}
              },
              "bans": {
                "authFailures": {"enabled": false, "limit": 0, "window": "1h", "blockFor": "1h", "mode": "enforce"},
                "accountAuthFailures": {
                  "enabled": false, "limit": 0, "window": "1h", "lockFor": "15m", "mode": "enforce"
                },
                "repeatedRefusals": {"enabled": false, "limit": 0, "window": "1h", "blockFor": "1h", "mode": "enforce"},
                "escalation": {"enabled": false, "factor": 2.0, "max": "30d", "memory": "30d", "mode": "enforce"},
                "networks": {
                  "enabled": false, "limit": 0, "ipv4Prefix": 24, "ipv6Prefix": 48, "blockFor": "1h", "mode": "enforce"
                }
              }
            }
            """));
    }

    @Test
    void theScreeningOfAnAddressIsNotFoundWhenTheScreeningIsOffAndABadAddressIsRefused() throws Exception {
        serve(POLICY);

        assertThat(call("GET", "/smtpshield/screening/192.0.2.5", null).statusCode())
                .isEqualTo(404);
        assertThat(call("GET", "/smtpshield/screening/not-an-ip", null).statusCode())
                .isEqualTo(400);
    }

    @Test
    void aBlockShowsItsLengthAndOffences() throws Exception {
        serve(POLICY);
        call("PUT", "/smtpshield/blocked/203.0.113.5?duration=2h", null);

        JsonNode block =
                JSON.readTree(call("GET", "/smtpshield/blocked", null).body()).get(0);

        assertThat(block.get("length").asText()).isEqualTo("2h");
        assertThat(block.get("offences").asInt()).isEqualTo(1);
    }

    @Test
    void aLockedAccountIsListedAndLifted() throws Exception {
        serve(POLICY);
        assertThat(call("GET", "/smtpshield/locked", null).body()).isEqualTo("[]");
        store.recordAccountFailure("alice@example.com", 1, Duration.ofHours(1), Duration.ofMinutes(15), true);
        store.recordAccountFailure("alice@example.com", 1, Duration.ofHours(1), Duration.ofMinutes(15), true);

        JsonNode locks = JSON.readTree(call("GET", "/smtpshield/locked", null).body());
        assertThat(locks).hasSize(1);
        assertThat(locks.get(0).get("account").asText()).isEqualTo("alice@example.com");
        assertThat(Duration.between(
                        Instant.parse(locks.get(0).get("since").asText()),
                        Instant.parse(locks.get(0).get("until").asText())))
                .isEqualTo(Duration.ofMinutes(15));

        assertThat(call("DELETE", "/smtpshield/locked/Alice@Example.com", null).statusCode())
                .isEqualTo(204);
        assertThat(store.accountLock("alice@example.com")).isEmpty();
        HttpResponse<String> again = call("DELETE", "/smtpshield/locked/alice@example.com", null);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(again.body()).get("message").asText()).isEqualTo("'alice@example.com' is not locked");
        assertInvalidArgument(call("DELETE", "/smtpshield/locked/a%20b", null));
        assertInvalidArgument(call("DELETE", "/smtpshield/locked/a%0Ab", null));
    }

    private static void assertInvalidArgument(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode())
                .as(response.uri() + ": " + response.body())
                .isEqualTo(400);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("statusCode").asInt()).isEqualTo(400);
        assertThat(error.get("type").asText()).isEqualTo("InvalidArgument");
        assertThat(error.get("message").asText()).isNotBlank();
    }

    private static Duration lengthOf(HttpResponse<String> block) throws IOException {
        JsonNode json = JSON.readTree(block.body());
        return Duration.between(
                Instant.parse(json.get("since").asText()),
                Instant.parse(json.get("until").asText()));
    }

    private static IpPrefix key(String address) throws IOException {
        return IpPrefix.clientKey(InetAddress.getByName(address));
    }

    /** A body of exactly {@code size} bytes: a JSON block request padded with spaces. */
    private static String bodyOf(int size) {
        String json = "{\"reason\": \"padded\", \"duration\": \"1h\"}";
        return json + " ".repeat(size - json.length());
    }

    @Test
    void aBodyOf64KibIsReadAndOneByteMoreIs413() throws Exception {
        serve(POLICY);

        assertThat(call("PUT", "/smtpshield/blocked/203.0.113.5", bodyOf(ShieldRoutes.LARGEST_BODY))
                        .statusCode())
                .isEqualTo(201);
        HttpResponse<String> tooLarge =
                call("PUT", "/smtpshield/blocked/203.0.113.6/32", bodyOf(ShieldRoutes.LARGEST_BODY + 1));

        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("the request body is over 65536 bytes");
        assertThat(call("GET", "/smtpshield/blocked", null).body()).doesNotContain("203.0.113.6");
    }

    @Test
    void aBodyOfUnknownLengthIsReadNoFurtherThan64Kib() throws Exception {
        serve(POLICY);
        // Chunked, without Content-Length.
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/smtpshield/blocked/203.0.113.7"))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(
                        bodyOf(2 * ShieldRoutes.LARGEST_BODY).getBytes(UTF_8))))
                .timeout(Duration.ofSeconds(10))
                .build();

        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(call("GET", "/smtpshield/blocked", null).body()).doesNotContain("203.0.113.7");
    }

    private HttpResponse<String> call(String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
