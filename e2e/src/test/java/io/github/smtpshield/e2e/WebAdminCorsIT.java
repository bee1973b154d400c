package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WebAdmin and web pages of other origins: James 3.8.1 alone sends {@code Access-Control-Allow-Origin: *} and answers
 * every preflight, so any page in a browser on the host could create users. The shipped WebAdmin sends no CORS header
 * unless the operator names an origin, and then allows that origin only.
 */
class WebAdminCorsIT {
    private static final String EVIL = "https://evil.example";
    private static final String ADMIN = "https://admin.example";
    private static ShieldServer shipped;
    private static ShieldServer named;

    @BeforeAll
    static void start() {
        shipped = ShieldServer.prepare().start();
        named = ShieldServer.prepare()
                .editConf("webadmin.properties", text -> text + "\ncors.enable=true\ncors.origin=" + ADMIN + "\n")
                .start();
    }

    @AfterAll
    static void stop() {
        if (shipped != null) {
            shipped.close();
        }
        if (named != null) {
            named.close();
        }
    }

    @Test
    void theShippedWebAdminAnswersNoOriginWithCorsHeaders() {
        HttpResponse<String> read = shipped.webAdmin().request("GET", "/domains", "Origin", EVIL);
        HttpResponse<String> preflight = preflightOfAPasswordReset(shipped, EVIL);
        HttpResponse<String> missing = shipped.webAdmin().request("GET", "/no/such/route", "Origin", EVIL);

        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(corsHeaders(read)).isEmpty();
        assertThat(corsHeaders(preflight)).isEmpty();
        assertThat(corsHeaders(missing)).isEmpty();
        assertThat(corsHeaders(shipped.webAdmin().get("/domains")))
                .as("nor a request without Origin")
                .isEmpty();
    }

    @Test
    void anOriginTheOperatorNamedIsTheOneAllowed() {
        HttpResponse<String> read = named.webAdmin().request("GET", "/domains", "Origin", ADMIN);
        HttpResponse<String> preflight = preflightOfAPasswordReset(named, ADMIN);

        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).contains(ADMIN);
        assertThat(read.headers().allValues("Vary")).contains("Origin");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
                .contains(ADMIN);
        assertThat(preflight
                        .headers()
                        .firstValue("Access-Control-Allow-Methods")
                        .orElseThrow())
                .contains("PUT");

        assertThat(corsHeaders(named.webAdmin().request("GET", "/domains", "Origin", EVIL)))
                .isEmpty();
        assertThat(corsHeaders(preflightOfAPasswordReset(named, EVIL))).isEmpty();
    }

    /** What a page's {@code fetch(url, {method: 'PUT', headers: {'Content-Type': 'application/json'}})} asks first. */
    private static HttpResponse<String> preflightOfAPasswordReset(ShieldServer server, String origin) {
        return server.webAdmin()
                .request(
                        "OPTIONS",
                        "/users/alice@example.test?force",
                        "Origin",
                        origin,
                        "Access-Control-Request-Method",
                        "PUT",
                        "Access-Control-Request-Headers",
                        "content-type");
    }

    private static Map<String, Object> corsHeaders(HttpResponse<String> response) {
        return response.headers().map().entrySet().stream()
                .filter(header -> header.getKey().toLowerCase(Locale.ROOT).startsWith("access-control-"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
