package dev.vreg.host.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Base64;

/** A small blocking HTTP client for tests of the admin API and authenticated pulls. */
public final class ApiClient {

    /** An answer: status, headers and the body as text. */
    public record Answer(int status, String contentType, String wwwAuthenticate, String body,
                         java.net.http.HttpHeaders headers) {

        /** The first value of response header {@code name}, or {@code null}. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public JsonObject json() {
            return new JsonObject(body);
        }

        public JsonArray array() {
            return new JsonArray(body);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public ApiClient(String base) {
        this.base = base;
    }

    public Answer get(String path, String token) {
        return send("GET", path, token, null);
    }

    public Answer head(String path, String token) {
        return send("HEAD", path, token, null);
    }

    public Answer post(String path, String token, Object body) {
        return send("POST", path, token, body);
    }

    public Answer patch(String path, String token, Object body) {
        return send("PATCH", path, token, body);
    }

    public Answer put(String path, String token, Object body) {
        return send("PUT", path, token, body);
    }

    public Answer delete(String path, String token) {
        return send("DELETE", path, token, null);
    }

    /** GET with an arbitrary Authorization header ({@code null} for none). */
    public Answer getWithHeader(String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return exchange(request.GET().build());
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private Answer send(String method, String path, String token, Object body) {
        return send(method, path, token, body == null ? null : "application/json", body);
    }

    /** A request with a body of any media type. */
    public Answer send(String method, String path, String token, String contentType, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        String text = body == null ? null : body.toString();
        request.method(method, text == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(text));
        return exchange(request.build());
    }

    private Answer exchange(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            Map<String, String> headers = new HashMap<>();
            response.headers().map().forEach((name, values) -> headers.put(name, values.get(0)));
            ResponseConformance.get().check(request.method(), request.uri(), response.statusCode(), headers,
                    response.headers().firstValue("Content-Type").orElse(null), response.body());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                    response.headers().firstValue("WWW-Authenticate").orElse(null), response.body(),
                    response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
