package dev.vreg.host.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How an admin operation's failure is rendered: problem JSON, with the headers its failure calls for. */
class EndpointTest {

    static final Vertx VERTX = Vertx.vertx();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static HttpServer server;

    @BeforeAll
    static void start() {
        Router router = Router.router(VERTX);
        router.get("/busy").handler(Endpoint.of(ctx -> {
            throw VregException.upstreamUnavailable("upstream u answered 503", null)
                    .withRetryAfter(Duration.ofMillis(119_200));
        }));
        router.get("/failing").handler(Endpoint.of(ctx -> {
            throw VregException.upstreamUnavailable("upstream u answered 500", null);
        }));
        router.get("/invalid").handler(Endpoint.of(ctx -> {
            throw new VregException(ErrorKind.INVALID, "bad").withRetryAfter(Duration.ofSeconds(5));
        }));
        server = VERTX.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    }

    @AfterAll
    static void stop() {
        VERTX.close().await();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aFailureThatSaysWhenToRetryCarriesRetryAfterInWholeSeconds() throws Exception {
        HttpResponse<String> busy = get("/busy");
        assertThat(busy.statusCode()).isEqualTo(502);
        assertThat(busy.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(busy.headers().firstValue("Retry-After")).hasValue("120");

        assertThat(get("/failing").headers().firstValue("Retry-After")).isEmpty();
        HttpResponse<String> invalid = get("/invalid");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.headers().firstValue("Retry-After")).as("not an upstream's failure").isEmpty();
    }
}
