package io.github.smtpshield.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * The local WebAdmin as the console commands call it: one request, its JSON answer, or a {@link ConsoleException}
 * that says in one line what failed, with exit status 1 when WebAdmin answered with an error and 2 when it could not
 * be reached.
 */
final class WebAdmin {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    private final URI base;
    private final Optional<String> token;

    WebAdmin(URI base, Optional<String> token) {
        this.base = base;
        this.token = token;
    }

    /** The answer of a request; null for {@code 204 No Content}. */
    record Answer(int status, JsonNode body) {}

    Answer get(String path) {
        return send(request(path).GET());
    }

    Answer put(String path, JsonNode body) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    Answer delete(String path) {
        return send(request(path).DELETE());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(ANSWER_TIMEOUT)
                .header("Accept", "application/json");
        token.ifPresent(jwt -> request.header("Authorization", "Bearer " + jwt));
        return request;
    }

    private Answer send(HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ConsoleException(
                    ConsoleException.CANNOT_REACH, "cannot reach WebAdmin at " + base + ": " + reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConsoleException(ConsoleException.CANNOT_REACH, "interrupted");
        }
        int status = response.statusCode();
        JsonNode body = parse(response.body());
        if (status >= 400) {
            String message = Optional.ofNullable(body)
                    .map(json -> json.path("message").asText(null))
                    .orElseGet(() ->
                            response.body().isBlank() ? "" : response.body().strip());
            throw new ConsoleException(
                    ConsoleException.REFUSED,
                    request.method() + " " + request.uri().getRawPath() + ": " + status
                            + (message.isEmpty()
                                    ? ""
                                    : " " + message.lines().findFirst().orElse(""))
                            + (status == 401
                                    ? " (WebAdmin asks for a JWT: --token, conf/" + WebAdminOptions.TOKEN_FILE
                                            + " or conf/" + JwtKeys.PRIVATE_KEY + ")"
                                    : ""));
        }
        return new Answer(status, body);
    }

    /** Why, in words: the HTTP client's own exceptions often have no message. */
    private static String reason(IOException failure) {
        if (failure instanceof HttpConnectTimeoutException) {
            return "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
        }
        if (failure instanceof HttpTimeoutException) {
            return "no answer within " + ANSWER_TIMEOUT.toSeconds() + " s";
        }
        if (failure instanceof ConnectException) {
            return "connection refused";
        }
        return Optional.ofNullable(failure.getMessage())
                .orElse(failure.getClass().getSimpleName());
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
