package dev.vreg.testkit.go;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.spi.Credentials;
import dev.vreg.testkit.upstream.ConformanceArtifacts;
import dev.vreg.testkit.upstream.FixtureFailure;
import dev.vreg.testkit.upstream.GeneratedBody;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GoproxyFixtureTest {

    private static final GoModule UPPER = GoModule.builder("example.com/Upper/Case", "v1.2.0").build();
    private static final GoModule PSEUDO =
            GoModule.builder("example.com/pseudo", "v0.0.0-20240102030405-abcdefabcdef").build();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private GoproxyFixture proxy;

    @BeforeEach
    void start() {
        proxy = GoproxyFixture.start().publish(UPPER).publishLatest(PSEUDO);
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    @Test
    void servesPublishedModulesUnderTheBasePath() throws Exception {
        assertThat(proxy.baseUrl().toString()).startsWith("http://127.0.0.1:").endsWith("/goproxy/");
        assertThat(body("example.com/%21upper/%21case/@v/list")).isEqualTo("v1.2.0\n");
        assertThat(body("example.com/!upper/!case/@v/v1.2.0.info")).isEqualTo(UPPER.infoJson());
        assertThat(get(UPPER.modPath().substring(1)).body()).isEqualTo(UPPER.modBytes());
        HttpResponse<byte[]> zip = get(UPPER.zipPath().substring(1));
        assertThat(zip.statusCode()).isEqualTo(200);
        assertThat(zip.headers().firstValue("content-type")).hasValue("application/zip");
        assertThat(zip.headers().firstValue("content-length")).hasValue(Integer.toString(zip.body().length));
        assertThat(body("example.com/pseudo/@v/list")).isEmpty();
        assertThat(body("example.com/pseudo/@latest")).isEqualTo(PSEUDO.infoJson());
    }

    @Test
    void unknownPathsAndPathsOutsideTheBaseAreNotFound() throws Exception {
        assertThat(get("example.com/missing/@v/list").statusCode()).isEqualTo(404);
        assertThat(get("../../etc/passwd").statusCode()).isEqualTo(404);
        HttpResponse<byte[]> outside = http.send(HttpRequest.newBuilder(URI.create(proxy.baseUrl().toString()
                .replace("/goproxy/", "/") + UPPER.listPath().substring(1))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(outside.statusCode()).isEqualTo(404);
    }

    @Test
    void countsRequestsByDecodedPath() throws Exception {
        get("example.com/%21upper/%21case/@v/list");
        get(UPPER.listPath().substring(1));
        get(UPPER.zipPath().substring(1));
        assertThat(proxy.requestCount(UPPER.listPath())).isEqualTo(2);
        assertThat(proxy.requestCount("example.com/%21upper/%21case/@v/list")).isEqualTo(2);
        assertThat(proxy.requestCount(UPPER.zipPath())).isEqualTo(1);
        assertThat(proxy.totalRequests()).isEqualTo(3);
        assertThat(proxy.receivedTargets()).first().isEqualTo("/goproxy/example.com/%21upper/%21case/@v/list");
        proxy.resetCounters();
        assertThat(proxy.totalRequests()).isZero();
        assertThat(body(UPPER.listPath().substring(1))).isEqualTo("v1.2.0\n");
    }

    @Test
    void injectedFaultsComeFirstAndWearOff() throws Exception {
        proxy.inject(UPPER.infoPath(), Fault.status(503).times(2));
        assertThat(get(UPPER.infoPath().substring(1)).statusCode()).isEqualTo(503);
        assertThat(get(UPPER.infoPath().substring(1)).statusCode()).isEqualTo(503);
        assertThat(get(UPPER.infoPath().substring(1)).statusCode()).isEqualTo(200);

        proxy.inject(UPPER.zipPath(), Fault.dropConnectionAfter(10).once());
        assertThat(failsMidBody(UPPER.zipPath().substring(1))).isTrue();
        assertThat(get(UPPER.zipPath().substring(1)).statusCode()).isEqualTo(200);

        proxy.serveGenerated(ConformanceArtifacts.LARGE_ZIP, 1 << 20);
        proxy.inject(ConformanceArtifacts.LARGE_ZIP.path(), Fault.dropConnectionAfter(100_000).once());
        assertThat(failsMidBody(ConformanceArtifacts.LARGE_ZIP.path())).isTrue();
        byte[] whole = get(ConformanceArtifacts.LARGE_ZIP.path()).body();
        assertThat(whole).hasSize(1 << 20);
        assertThat(GeneratedBody.firstMismatch(0, Buffer.buffer(whole))).isEqualTo(-1);
    }

    @Test
    void trickledBodiesArriveWholeButSlowly() throws Exception {
        proxy.inject(UPPER.modPath(), Fault.trickle(Duration.ofMillis(10)).once());
        byte[] programmed = "module example.com/two\n".getBytes(StandardCharsets.UTF_8);
        proxy.serve(ConformanceArtifacts.TWO_MOD, programmed, null);
        proxy.inject(ConformanceArtifacts.TWO_MOD.path(), Fault.trickle(Duration.ofMillis(10)).once());
        long started = System.nanoTime();
        assertThat(get(UPPER.modPath().substring(1)).body()).isEqualTo(UPPER.modBytes());
        assertThat(get(ConformanceArtifacts.TWO_MOD.path()).body()).isEqualTo(programmed);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(
                Duration.ofMillis(10L * (UPPER.modBytes().length + programmed.length - 2)));
    }

    @Test
    void anEndlessFailureNeverEndsItsBody() throws Exception {
        proxy.fail(ConformanceArtifacts.FAILING_ZIP, FixtureFailure.ENDLESS_BODY);
        HttpResponse<InputStream> response = http.send(
                HttpRequest.newBuilder(url(ConformanceArtifacts.FAILING_ZIP.path())).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-length")).isEmpty();
        try (InputStream in = response.body()) {
            byte[] first = in.readNBytes(3 * FixtureFailure.ENDLESS_CHUNK_BYTES);
            assertThat(GeneratedBody.firstMismatch(0, Buffer.buffer(first))).isEqualTo(-1);
        }
    }

    @Test
    void programmedArtifactsTakePrecedenceAndAnswerRevalidation() throws Exception {
        proxy.serve(ConformanceArtifacts.ref(UPPER.listPath().substring(1)), "v9.9.9\n".getBytes(StandardCharsets.UTF_8),
                "\"e1\"");
        assertThat(body(UPPER.listPath().substring(1))).isEqualTo("v9.9.9\n");
        HttpResponse<byte[]> revalidated = http.send(HttpRequest.newBuilder(url(UPPER.listPath().substring(1)))
                .header("If-None-Match", "\"e1\"").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(revalidated.statusCode()).isEqualTo(304);

        proxy.answer("example.com/teapot/@v/list", 418).redirect("example.com/old/@v/list", 302, "new");
        assertThat(get("example.com/teapot/@v/list").statusCode()).isEqualTo(418);
        assertThat(get("example.com/old/@v/list").headers().firstValue("location")).hasValue("new");
    }

    @Test
    void requiredCredentialsAreCheckedAndResetForgetsEverything() throws Exception {
        proxy.requireCredentials(Credentials.basic("u", "p"));
        assertThat(get(UPPER.listPath().substring(1)).statusCode()).isEqualTo(401);
        HttpResponse<byte[]> allowed = http.send(HttpRequest.newBuilder(url(UPPER.listPath().substring(1)))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("u:p".getBytes(
                        StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(proxy.receivedAuthorizations()).containsExactly("", "Basic dTpw");

        proxy.reset();
        assertThat(get(UPPER.listPath().substring(1)).statusCode()).isEqualTo(404);
        assertThat(proxy.receivedTargets()).hasSize(1);
    }

    private boolean failsMidBody(String path) throws InterruptedException {
        try {
            get(path);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private URI url(String relative) {
        return URI.create(proxy.baseUrl() + relative);
    }

    private HttpResponse<byte[]> get(String relative) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url(relative)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private String body(String relative) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = get(relative);
        assertThat(response.statusCode()).as(relative).isEqualTo(200);
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
