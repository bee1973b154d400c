package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.smtpshield.testing.LoopbackRedisCluster;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged server with its store on a Redis Cluster ({@code <store type="redis" cluster="true"
 * uri="redis://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3"/>}): three local masters, one James. The per-IP
 * connection limit holds, a harvest block is enforced, listed and lifted through WebAdmin. (What holds across two
 * James nodes is {@link RedisClusterIT}'s, on one redis-server; the store's own tests run both kinds of Redis.)
 */
class RedisClusterModeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LoopbackRedisCluster redis;
    private static ShieldServer server;

    @BeforeAll
    static void start() {
        redis = LoopbackRedisCluster.start();
        server = TestPolicy.trustOnlyLocalhost(ShieldServer.prepare())
                .writeConf(
                        "smtpshield.xml",
                        TestPolicy.perIp("""
                <maxConcurrentConnections>2</maxConcurrentConnections>
                <maxUnknownRecipients window="1h" blockFor="1h">2</maxUnknownRecipients>
                """, TestPolicy.redisClusterStore(redis.uri(), "closed", "2m")))
                .start();
        server.webAdmin().createUser("example.test", "alice@example.test", "secret");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void theConnectionLimitHoldsOnTheCluster() {
        List<SmtpClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                open.add(SmtpClient.connect("127.0.0.40", server.smtpPort()));
                assertThat(open.get(i).greeting().code())
                        .as("onFailure=closed: a 220 means the cluster decided")
                        .isEqualTo(220);
            }
            try (SmtpClient third = SmtpClient.connect("127.0.0.40", server.smtpPort())) {
                assertThat(third.greeting().line()).isEqualTo("421 4.7.0 Too many connections from 127.0.0.40");
                assertThat(third.isClosedByServer()).isTrue();
            }

            open.remove(0).close();
            open.add(SmtpClient.connectOnceAdmitted("the slot to come back", "127.0.0.40", server.smtpPort()));
        } finally {
            open.forEach(SmtpClient::close);
        }
    }

    @Test
    void aHarvestBlockIsEnforcedListedAndLiftedThroughWebAdmin() throws Exception {
        try (SmtpClient client = SmtpClient.connect("127.0.0.41", server.smtpPort())) {
            client.send("EHLO harvester.test");
            client.send("MAIL FROM:<spam@harvester.test>");
            assertThat(client.send("RCPT TO:<aaron@example.test>").line()).startsWith("550 5.1.1");
            assertThat(client.send("RCPT TO:<abel@example.test>").line()).startsWith("550 5.1.1");
            assertThat(client.send("RCPT TO:<adam@example.test>").line())
                    .isEqualTo("421 4.7.1 Too many unknown recipients from 127.0.0.41: directory harvest attack");
        }
        try (SmtpClient again = SmtpClient.connect("127.0.0.41", server.smtpPort())) {
            assertThat(again.greeting().line())
                    .isEqualTo("421 4.7.1 Connections from 127.0.0.41 are blocked, try again later");
        }
        JsonNode listed =
                JSON.readTree(server.webAdmin().get("/smtpshield/blocked").body());
        assertThat(listed.findValuesAsText("ip")).containsExactly("127.0.0.41");
        assertThat(listed.findValuesAsText("reason")).containsExactly("HARVEST");

        HttpResponse<String> lift = server.webAdmin().delete("/smtpshield/blocked/127.0.0.41");

        assertThat(lift.statusCode()).as(lift.body()).isEqualTo(204);
        try (SmtpClient lifted = SmtpClient.connect("127.0.0.41", server.smtpPort())) {
            assertThat(lifted.greeting().code()).isEqualTo(220);
        }
        assertThat(JSON.readTree(server.webAdmin().get("/smtpshield/blocked").body())
                        .findValuesAsText("ip"))
                .isEmpty();
        assertThat(JSON.readTree(server.webAdmin().get("/smtpshield/policy").body())
                        .get("store")
                        .get("cluster")
                        .asBoolean())
                .isTrue();
        assertThat(server.securityLog())
                .contains("Block of 127.0.0.41 started until")
                .contains("Block of 127.0.0.41 lifted");
    }
}
