package dev.vreg.upstream.gitlab;

import static dev.vreg.upstream.gitlab.GitlabClientSupport.failure;
import static dev.vreg.upstream.gitlab.GitlabClientSupport.hostHint;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.spi.Credentials;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamConfig;
import dev.vreg.spi.VregException;
import dev.vreg.testkit.upstream.Await;
import dev.vreg.testkit.upstream.TestPluginContext;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a failing GitLab turns into: server errors and rate limits are UPSTREAM_UNAVAILABLE (with the delay
 * {@code Retry-After} asks for), silence is UPSTREAM_TIMEOUT, and a redirect is neither followed nor sent the token.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GitlabFailuresTest {

    private static final String TOKEN = "glpat-failures-9d8c7b";
    private static final String MODULE = "git.example.test/group/proj";

    private Vertx vertx;
    private HttpServer server;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private volatile int status;
    private volatile String retryAfter;
    private volatile String location;
    private volatile boolean silent;

    @BeforeAll
    void start() {
        vertx = Vertx.vertx();
        server = Await.result(vertx.createHttpServer().requestHandler(request -> {
            seen.add(request.uri() + " token=" + (request.getHeader("PRIVATE-TOKEN") != null));
            if (silent) {
                return;
            }
            if (retryAfter != null) {
                request.response().putHeader("Retry-After", retryAfter);
            }
            if (location != null) {
                request.response().putHeader("Location", location);
            }
            request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end("{\"message\":\"" + status + " Something\"}");
        }).listen(0, "127.0.0.1"), Duration.ofSeconds(10));
    }

    @AfterAll
    void stop() {
        Await.result(vertx.close(), Duration.ofSeconds(20));
    }

    private UpstreamClient client(Duration readTimeout) {
        UpstreamConfig config = new UpstreamConfig("gitlab-failures", GitlabUpstreamPlugin.KIND,
                URI.create("http://127.0.0.1:" + server.actualPort()), Credentials.token(TOKEN), hostHint(),
                Duration.ofSeconds(5), readTimeout);
        return new GitlabUpstreamPlugin().open(config, new TestPluginContext(vertx));
    }

    private Throwable answer(int code, String retry, String redirect) {
        status = code;
        retryAfter = retry;
        location = redirect;
        silent = false;
        try (UpstreamClient c = client(Duration.ofSeconds(10))) {
            return failure(c, MODULE, null, "list");
        }
    }

    @Test
    void serverErrorsAndRateLimitsAreUnavailableWithTheirDelay() {
        Throwable busy = answer(503, "17", null);
        assertThat(VregException.is(busy, ErrorKind.UPSTREAM_UNAVAILABLE)).isTrue();
        assertThat(((VregException) busy).retryAfter()).isEqualTo(Duration.ofSeconds(17));
        assertThat(busy.getMessage()).contains("503", "try again later").doesNotContain(TOKEN);
        Throwable limited = answer(429, "3", null);
        assertThat(VregException.is(limited, ErrorKind.UPSTREAM_UNAVAILABLE)).isTrue();
        assertThat(limited.getMessage()).contains("limiting the request rate");
        assertThat(VregException.is(answer(500, null, null), ErrorKind.UPSTREAM_UNAVAILABLE)).isTrue();
    }

    @Test
    void aRedirectIsNotFollowedSoTheTokenStaysWithTheInstance() {
        seen.clear();
        Throwable moved = answer(302, null, "http://127.0.0.2:" + server.actualPort() + "/elsewhere");
        assertThat(VregException.is(moved, ErrorKind.UPSTREAM_UNAVAILABLE)).isTrue();
        assertThat(moved.getMessage()).contains("302", "a redirect vreg does not follow");
        assertThat(seen).isNotEmpty().noneMatch(s -> s.startsWith("/elsewhere"));
    }

    @Test
    void everyRefusalIsReadWhicheverThreadTheFetchStartsOn() {
        status = 500;
        retryAfter = null;
        location = null;
        silent = false;
        for (int i = 0; i < 500; i++) {
            try (UpstreamClient c = client(Duration.ofSeconds(10))) {
                Throwable e = Await.failure(c.fetch(dev.vreg.spi.ArtifactRequest.of(GitlabClientSupport.ref(
                        MODULE, null, "list"))), Duration.ofSeconds(5));
                assertThat(VregException.is(e, ErrorKind.UPSTREAM_UNAVAILABLE)).as("attempt %d: %s", i, e).isTrue();
            }
        }
    }

    @Test
    void silenceIsATimeout() {
        silent = true;
        try (UpstreamClient c = client(Duration.ofMillis(500))) {
            Throwable e = failure(c, MODULE, null, "list");
            assertThat(VregException.is(e, ErrorKind.UPSTREAM_TIMEOUT)).as(String.valueOf(e)).isTrue();
        } finally {
            silent = false;
        }
    }
}
