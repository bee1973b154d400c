package io.github.smtpshield.webadmin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Enforcement;
import io.github.smtpshield.policy.SecurityLog;
import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.ShieldMetrics;
import io.github.smtpshield.policy.SmtpEvent;
import io.github.smtpshield.policy.config.ShieldConfigParser;
import io.github.smtpshield.policy.store.MemoryClientStore;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import spark.Service;

/** The console's routes and the dashboard's files on a real HTTP server (Spark, as in WebAdmin), over a memory store. */
class StatusRoutesTest {
    private static final String POLICY = """
        <smtpshield>
          <exempt><networks>192.0.2.0/24</networks></exempt>
          <perIp>
            <maxConcurrentConnections mode="observe">1</maxConcurrentConnections>
            <maxUnknownRecipients window="10m" blockFor="90s">2</maxUnknownRecipients>
          </perIp>
        </smtpshield>
        """;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MemoryClientStore store = MemoryClientStore.builder().build();
    private Shield shield;
    private Service service;

    @BeforeEach
    void serve() throws Exception {
        shield = new Shield(
                ShieldConfigParser.parse(new ByteArrayInputStream(POLICY.getBytes(UTF_8)), "smtpshield.xml"),
                store,
                new Enforcement(new SecurityLog(), ShieldMetrics.NONE));
        service = Service.ignite().port(0);
        new StatusRoutes(shield, new JsonTransformer()).define(service);
        new DashboardPage().define(service);
        service.awaitInitialization();
    }

    @AfterEach
    void stop() {
        service.stop();
        service.awaitStop();
        store.close();
    }

    @Test
    void theStatusGivesEachRuleItsStateAndItsRefusalsTheStoreAndTheTopClients() throws Exception {
        ClientConnection harvester = shield.connection(InetAddress.getByName("203.0.113.5"));
        shield.on(harvester, SmtpEvent.CONNECT).join();
        shield.on(shield.connection(InetAddress.getByName("203.0.113.5")), SmtpEvent.CONNECT)
                .join();
        for (int i = 0; i < 3; i++) {
            shield.on(harvester, SmtpEvent.UNKNOWN_RECIPIENT).join();
        }

        JsonNode status = JSON.readTree(get("/smtpshield/status").body());

        assertThat(status.get("rules").get(0).get("rule").asText()).isEqualTo("maxMessagesPerHour");
        assertThat(rule(status, "maxMessagesPerHour").get("state").asText()).isEqualTo("off");
        assertThat(rule(status, "maxConcurrentConnections").get("state").asText())
                .isEqualTo("observe");
        assertThat(rule(status, "maxConcurrentConnections").get("observed").asLong())
                .isEqualTo(1);
        assertThat(rule(status, "maxUnknownRecipients").get("state").asText()).isEqualTo("on");
        assertThat(rule(status, "maxUnknownRecipients").get("refused").asLong()).isEqualTo(1);
        assertThat(status.get("store").get("type").asText()).isEqualTo("memory");
        assertThat(status.get("store").get("up").asBoolean()).isTrue();
        assertThat(status.get("activeBlocks").asInt()).isEqualTo(1);
        assertThat(status.get("topClients")).hasSize(1);
        assertThat(status.get("topClients").get(0).get("ip").asText()).isEqualTo("203.0.113.5");
        assertThat(status.get("topClients").get(0).get("refused").asLong()).isEqualTo(1);
        assertThat(status.get("topClients").get(0).get("observed").asLong()).isEqualTo(1);
    }

    @Test
    void theRefusalsAreSixtyMinutesTheCurrentOneLast() throws Exception {
        ClientConnection harvester = shield.connection(InetAddress.getByName("203.0.113.5"));
        for (int i = 0; i < 3; i++) {
            shield.on(harvester, SmtpEvent.UNKNOWN_RECIPIENT).join();
        }

        JsonNode minutes = JSON.readTree(get("/smtpshield/refusals").body()).get("minutes");

        assertThat(minutes).hasSize(60);
        assertThat(minutes.get(59).get("refused").get("maxUnknownRecipients").asLong())
                .isEqualTo(1);
        assertThat(minutes.get(0).get("refused")).isEmpty();
    }

    @Test
    void theDashboardIsServedWithAPolicyThatLetsItLoadNothingFromElsewhere() throws Exception {
        HttpResponse<String> page = get(DashboardPage.BASE);
        HttpResponse<String> script = get(DashboardPage.BASE + "/dashboard.js");
        HttpResponse<String> style = get(DashboardPage.BASE + "/dashboard.css");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(type(page)).isEqualTo("text/html;charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValue(DashboardPage.CONTENT_SECURITY_POLICY);
        assertThat(DashboardPage.CONTENT_SECURITY_POLICY).startsWith("default-src 'none'");
        assertThat(page.body()).contains("<script src=\"/smtpshield-ui/dashboard.js\"");
        // Nothing but this server: no scheme or protocol-relative URL anywhere in the page's files.
        for (HttpResponse<String> file : List.of(page, script, style)) {
            assertThat(file.body())
                    .doesNotContainPattern("(?i)(src|href)=\"(https?:)?//")
                    .doesNotContainPattern("(?i)url\\(");
        }
        assertThat(type(script)).isEqualTo("text/javascript;charset=utf-8");
        assertThat(type(style)).isEqualTo("text/css;charset=utf-8");
    }

    /** Jetty writes some types without the space before the charset. */
    private static String type(HttpResponse<String> response) {
        return response.headers().firstValue("Content-Type").orElse("").replace(" ", "");
    }

    private static JsonNode rule(JsonNode status, String name) {
        for (JsonNode rule : status.get("rules")) {
            if (rule.get("rule").asText().equals(name)) {
                return rule;
            }
        }
        throw new AssertionError("no rule " + name + " in " + status);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
