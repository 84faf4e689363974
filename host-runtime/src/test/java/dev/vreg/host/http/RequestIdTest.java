package dev.vreg.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.support.LogCapture;
import dev.vreg.host.support.LogCapture.Line;
import dev.vreg.host.support.TestVreg;
import dev.vreg.host.vertx.RequestId;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.StaticGoProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every answer names its request, and the log lines written while handling it carry the same id. */
@Timeout(120)
class RequestIdTest {

    static final List<GoModule> MODULES = IntStream.range(0, 8)
            .mapToObj(i -> GoModule.builder("example.com/m" + i, "v1.0." + i).build()).toList();
    /** Asked for by one test only, so the upstream's requests for them are that test's. */
    static final List<GoModule> FORWARDED = IntStream.range(0, 3)
            .mapToObj(i -> GoModule.builder("example.com/forwarded" + i, "v1.1." + i).build()).toList();
    static final String HEX_ID = "[0-9a-f]{32}";

    @TempDir
    static Path temp;

    static StaticGoProxy upstream;
    static VregServer vreg;
    static LogCapture logs;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        logs = LogCapture.attach();
        upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("upstream")),
                MODULES.toArray(GoModule[]::new)).publish(FORWARDED.toArray(GoModule[]::new));
        // A second upstream that is down turns "found nowhere" into a logged 502.
        vreg = TestVreg.start(TestVreg.config(TestVreg.newDataDir(),
                List.of(upstream.baseUrl(), "http://127.0.0.1:9")));
    }

    @AfterAll
    static void stop() {
        if (vreg != null) {
            vreg.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (logs != null) {
            logs.close();
        }
    }

    static CompletableFuture<HttpResponse<String>> get(String path, String requestId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(vreg.baseUrl() + path))
                .timeout(Duration.ofSeconds(30));
        if (requestId != null) {
            request.header(RequestId.HEADER, requestId);
        }
        return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static List<Line> linesAbout(String fragment) {
        return logs.events().stream().filter(line -> line.message().contains(fragment)).toList();
    }

    @Test
    void concurrentRequestsEachCarryTheirOwnIdThroughEveryCallback() {
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < MODULES.size(); i++) {
            answers.add(get("/go/default/main" + MODULES.get(i).zipPath(), "build-42.step:" + i));
        }
        for (int i = 0; i < MODULES.size(); i++) {
            HttpResponse<String> answer = answers.get(i).join();
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue(RequestId.HEADER)).hasValue("build-42.step:" + i);
            // Written once the upstream's body is stored, on the other side of a file, a worker and a query.
            String cached = "Cached " + MODULES.get(i).zipPath().substring(1) + " from upstream";
            assertThat(linesAbout(cached)).singleElement().extracting(Line::requestId)
                    .isEqualTo("build-42.step:" + i);
        }
    }

    @Test
    void anIdIsMadeWhenTheClientSentNoneOrOneThatIsNotSane() {
        String path = "/go/default/main" + MODULES.get(0).infoPath();
        assertThat(get(path, null).join().headers().firstValue(RequestId.HEADER)).get().asString()
                .matches(HEX_ID);
        for (String insane : List.of("has space", "x".repeat(129), "quote\"", "semi;colon", "")) {
            assertThat(get(path, insane).join().headers().firstValue(RequestId.HEADER)).as(insane).get()
                    .asString().matches(HEX_ID);
        }
        assertThat(get(path, "0b8c6a1e-6d2f-4c7a-9f1e-3b5a7c9d1e2f").join().headers()
                .firstValue(RequestId.HEADER)).hasValue("0b8c6a1e-6d2f-4c7a-9f1e-3b5a7c9d1e2f");
    }

    @Test
    void errorAnswersKeepTheIdAndTheirLinesCarryIt() {
        HttpResponse<String> failed = get("/go/default/main/example.com/nowhere/@v/list", "failing-1").join();
        assertThat(failed.statusCode()).isEqualTo(502);
        assertThat(failed.headers().firstValue(RequestId.HEADER)).hasValue("failing-1");
        assertThat(logs.events()).filteredOn(line -> line.message().startsWith("502 "))
                .filteredOn(line -> line.message().contains("example.com/nowhere"))
                .isNotEmpty().allSatisfy(line -> assertThat(line.requestId()).isEqualTo("failing-1"));

        HttpResponse<String> missing = get("/go/default/nothere/example.com/m0/@v/list", "missing-1").join();
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue(RequestId.HEADER)).hasValue("missing-1");
        assertThat(get("/api/v1/groups", "api-1").join().headers().firstValue(RequestId.HEADER))
                .hasValue("api-1");
    }

    @Test
    void upstreamsAreAskedWithTheIdOfTheRequestThatNeededTheFile() {
        GoModule module = FORWARDED.get(0);
        assertThat(get("/go/default/main" + module.modPath(), "upstream-mod-5").join().statusCode()).isEqualTo(200);
        assertThat(upstream.requestHeader(module.modPath(), RequestId.HEADER)).containsExactly("upstream-mod-5");
        assertThat(get("/go/default/main" + module.listPath(), "upstream-list-5").join().statusCode())
                .isEqualTo(200);
        assertThat(upstream.requestHeader(module.listPath(), RequestId.HEADER)).containsExactly("upstream-list-5");

        // Requests sharing one fetch: the upstream is asked once, with the id of one of them.
        GoModule shared = FORWARDED.get(1);
        List<String> ids = IntStream.range(0, 6).mapToObj(i -> "shared-" + i).toList();
        List<CompletableFuture<HttpResponse<String>>> answers = ids.stream()
                .map(id -> get("/go/default/main" + shared.infoPath(), id)).toList();
        answers.forEach(answer -> assertThat(answer.join().statusCode()).isEqualTo(200));
        assertThat(upstream.requestHeader(shared.infoPath(), RequestId.HEADER)).singleElement().isIn(ids);

        // An id vreg made is passed on as well.
        GoModule made = FORWARDED.get(2);
        HttpResponse<String> answer = get("/go/default/main" + made.modPath(), null).join();
        assertThat(upstream.requestHeader(made.modPath(), RequestId.HEADER))
                .containsExactly(answer.headers().firstValue(RequestId.HEADER).orElseThrow());
    }

    @Test
    void linesWrittenOutsideARequestCarryNone() {
        assertThat(linesAbout(" listening on ")).isNotEmpty().allSatisfy(line -> assertThat(line.requestId())
                .isNull());
    }
}
