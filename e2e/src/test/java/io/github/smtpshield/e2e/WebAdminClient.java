package io.github.smtpshield.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** James's WebAdmin (REST) on the test server: plain HTTP calls, answers returned whole. */
public final class WebAdminClient {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final int port;
    private final String token;

    WebAdminClient(int port) {
        this(port, null);
    }

    WebAdminClient(int port, String token) {
        this.port = port;
        this.token = token;
    }

    public HttpResponse<String> get(String path) {
        return call(HttpRequest.newBuilder(uri(path)).GET());
    }

    public HttpResponse<String> put(String path, String body) {
        return call(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    public HttpResponse<String> put(String path) {
        return call(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.noBody()));
    }

    public HttpResponse<String> delete(String path) {
        return call(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    /** A request of any method without a body, with the given headers ({@code name, value, name, value ...}). */
    public HttpResponse<String> request(String method, String path, String... headers) {
        return call(HttpRequest.newBuilder(uri(path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .headers(headers));
    }

    /** Creates a domain and a user with a password, failing loudly if James refuses. */
    public void createUser(String domain, String user, String password) {
        expect(put("/domains/" + domain), 204);
        expect(put("/users/" + user, "{\"password\":\"" + password + "\"}"), 204);
    }

    /** Creates a user in a domain that exists already. */
    public void addUser(String user, String password) {
        expect(put("/users/" + user, "{\"password\":\"" + password + "\"}"), 204);
    }

    private static void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().method() + " " + response.uri() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
    }

    private HttpResponse<String> call(HttpRequest.Builder request) {
        return send(token == null ? request : request.header("Authorization", "Bearer " + token));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
