package dev.vreg.host.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.Fault;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoResult;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.ModDownload;
import dev.vreg.testkit.go.StaticGoProxy;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What vreg answers when upstreams do not have a module, refuse it, fail or hang, and how the real go command's
 * GOPROXY list reacts: 404 falls through a {@code ,} list, 403, 502 and 504 stop it, 502 and 504 fall through a
 * {@code |} list.
 * An unreachable upstream contributes its stale list with a {@code Warning}. A fallback proxy stands in for
 * {@code https://proxy.golang.org}, which tests never reach.
 */
class FailureAnswersTest {

    @TempDir
    static Path temp;

    static final GoModule BOTH_OLD = GoModule.builder("example.com/both", "v1.0.0").build();
    static final GoModule BOTH_NEW = GoModule.builder("example.com/both", "v1.1.0").build();
    static final GoModule HALF = GoModule.builder("example.com/half", "v1.0.0").build();
    static final GoModule ELSEWHERE = GoModule.builder("example.com/elsewhere", "v1.0.0").build();
    static final GoModule REFUSED = GoModule.builder("example.com/refused", "v1.0.0").build();
    static final GoModule BROKEN = GoModule.builder("example.com/broken", "v1.0.0").build();
    static final GoModule HANGING = GoModule.builder("example.com/hanging", "v1.0.0").build();
    static final GoModule BUSY = GoModule.builder("example.com/busy", "v1.0.0").build();

    static final Duration NOT_FOUND_VALIDITY = Duration.ofSeconds(8);

    static StaticGoProxy good;
    static StaticGoProxy flaky;
    static StaticGoProxy fallback;
    static VregServer vreg;
    static VregHttp http;
    static Path goCache;

    @BeforeAll
    static void start() throws Exception {
        good = StaticGoProxy.start(temp.resolve("good"), BOTH_OLD, HALF);
        flaky = StaticGoProxy.start(temp.resolve("flaky"), BOTH_NEW, REFUSED, BROKEN, HANGING, BUSY);
        fallback = StaticGoProxy.start(temp.resolve("fallback"), ELSEWHERE, REFUSED, BROKEN, HANGING);
        injectFaults();
        VregConfig config = TestVreg.config(TestVreg.newDataDir(), List.of(good.baseUrl(), flaky.baseUrl()));
        config.upstreams.readTimeout = Duration.ofSeconds(2);
        config.cache.notFoundValidity = NOT_FOUND_VALIDITY;
        vreg = TestVreg.start(config);
        http = new VregHttp(vreg);
        http.updateUpstream(flaky.baseUrl(), "metadata_validity_s = $2", 1L);
        goCache = Files.createDirectories(temp.resolve("gocache"));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {vreg, good, flaky, fallback}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // Closing the rest matters more.
            }
        }
    }

    static GoTool go(String name, String goproxy) throws Exception {
        return GoTool.builder(Files.createDirectories(temp.resolve(name))).proxy(goproxy).goCache(goCache).build();
    }

    static void assertPlainError(HttpResponse<byte[]> response, int status) {
        assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        String text = VregHttp.text(response);
        assertThat(text).isNotBlank().endsWith("\n").hasSizeLessThan(648);
        assertThat(text.strip()).doesNotContain("\n");
    }

    @Test
    void foundNowhereIs404AndTheGoCommandFallsThroughACommaList() throws Exception {
        for (String path : List.of(ELSEWHERE.listPath(), ELSEWHERE.latestPath(), ELSEWHERE.infoPath(),
                ELSEWHERE.modPath(), ELSEWHERE.zipPath())) {
            assertPlainError(http.get(path), 404);
        }
        GoTool go = go("comma-404", http.goproxy() + "," + fallback.baseUrl());
        List<ModDownload> got = go.modDownloadJson("example.com/elsewhere@v1.0.0");
        assertThat(got).singleElement().extracting(ModDownload::sum).isEqualTo(ELSEWHERE.zipHash());
    }

    @Test
    void anUpstreamRefusalIs403AndStopsACommaListWithVregsMessage() throws Exception {
        HttpResponse<byte[]> zip = http.get(REFUSED.zipPath());
        assertPlainError(zip, 403);
        assertThat(VregHttp.text(zip)).contains("403").contains("127.0.0.1:" + flaky.port())
                .contains("no credentials are configured").doesNotContain("configured credentials may not");
        fallback.resetCounters();
        GoResult result = go("comma-403", http.goproxy() + "," + fallback.baseUrl())
                .run("mod", "download", "example.com/refused@v1.0.0").assertFailure();
        assertThat(result.stderr()).contains("403 Forbidden").contains("server response: "
                + VregHttp.text(zip).strip().substring(0, 30));
        assertThat(fallback.totalRequests()).isZero();
    }

    @Test
    void brokenSomewhereAndFoundNowhereIs502WhichStopsACommaListAndFallsThroughAPipeList() throws Exception {
        for (String path : List.of(BROKEN.listPath(), BROKEN.infoPath(), BROKEN.modPath(), BROKEN.zipPath())) {
            assertPlainError(http.get(path), 502);
        }
        fallback.resetCounters();
        GoResult comma = go("comma-502", http.goproxy() + "," + fallback.baseUrl())
                .run("mod", "download", "example.com/broken@v1.0.0").assertFailure();
        assertThat(comma.stderr()).contains("502 Bad Gateway").contains("server response:");
        assertThat(fallback.totalRequests()).isZero();

        List<ModDownload> piped = go("pipe-502", http.goproxy() + "|" + fallback.baseUrl())
                .modDownloadJson("example.com/broken@v1.0.0");
        assertThat(piped).singleElement().extracting(ModDownload::sum).isEqualTo(BROKEN.zipHash());
    }

    @Test
    void anUpstreamsRetryAfterIsPassedOnWithTheAnswerItCaused() throws Exception {
        for (String path : List.of(BUSY.listPath(), BUSY.infoPath(), BUSY.modPath(), BUSY.zipPath())) {
            HttpResponse<byte[]> response = http.get(path);
            assertPlainError(response, 502);
            assertThat(response.headers().firstValue("Retry-After")).as(path).hasValue("120");
        }
        assertThat(http.get(BROKEN.zipPath()).headers().firstValue("Retry-After")).as("a 503 without one").isEmpty();
        GoResult result = go("retry-after", http.goproxy()).run("mod", "download", "example.com/busy@v1.0.0")
                .assertFailure();
        assertThat(result.stderr()).contains("502 Bad Gateway").contains("answered 503");
    }

    @Test
    void aHangingUpstreamBecomesA504WithinItsReadTimeoutAndAPipeListFallsThrough() throws Exception {
        long started = System.nanoTime();
        HttpResponse<byte[]> hanging = http.get(HANGING.modPath());
        assertPlainError(hanging, 504);
        assertThat(VregHttp.text(hanging)).contains("127.0.0.1:" + flaky.port()).contains("within 2s");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        List<ModDownload> piped = go("pipe-timeout", http.goproxy() + "|" + fallback.baseUrl())
                .modDownloadJson("example.com/hanging@v1.0.0");
        assertThat(piped).singleElement().extracting(ModDownload::sum).isEqualTo(HANGING.zipHash());
    }

    @Test
    void aListIsServedFromTheUpstreamsThatAnsweredWithAWarningNamingTheBrokenOne() {
        HttpResponse<byte[]> list = http.get(HALF.listPath());
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(VregHttp.text(list)).isEqualTo("v1.0.0\n");
        assertThat(list.headers().allValues("Warning")).singleElement().asString()
                .startsWith("199 vreg \"").contains("500");
    }

    @Test
    void anUnreachableUpstreamContributesItsStaleListWithAWarning() throws Exception {
        HttpResponse<byte[]> fresh = http.get(BOTH_NEW.listPath());
        assertThat(VregHttp.text(fresh)).isEqualTo("v1.0.0\nv1.1.0\n");
        assertThat(fresh.headers().allValues("Warning")).isEmpty();
        flaky.inject(BOTH_NEW.listPath(), Fault.dropConnection());
        try {
            Thread.sleep(1_200);
            HttpResponse<byte[]> stale = http.get(BOTH_NEW.listPath());
            assertThat(stale.statusCode()).isEqualTo(200);
            assertThat(VregHttp.text(stale)).isEqualTo("v1.0.0\nv1.1.0\n");
            assertThat(stale.headers().allValues("Warning")).singleElement().asString()
                    .startsWith("199 vreg \"").contains(flaky.baseUrl().substring(7)).contains("unreachable");
            GoResult listed = go("stale", http.goproxy()).run("list", "-m", "-versions", "example.com/both")
                    .assertSuccess();
            assertThat(listed.stdout().strip()).isEqualTo("example.com/both v1.0.0 v1.1.0");
        } finally {
            flaky.clearFaults();
            injectFaults();
        }
    }

    @Test
    void anUnknownModuleFailsAtOnceAndCostsEachUpstreamOneRequestPerPathUnderPrefixProbing() throws Exception {
        good.resetCounters();
        flaky.resetCounters();
        Path app = GoTool.writeConsumer(Files.createDirectories(temp.resolve("unknown-app")));
        long started = System.nanoTime();
        GoResult first = go("unknown-1", http.goproxy()).run(app, "get", "example.com/nothing/deep/pkg");
        first.assertFailure();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        assertThat(first.stderr()).contains("404 Not Found");
        Map<String, Integer> afterFirst = counts(good);
        assertThat(afterFirst).isNotEmpty().allSatisfy((path, n) -> assertThat(n).as(path).isOne());
        assertThat(counts(flaky)).isEqualTo(afterFirst);

        go("unknown-2", http.goproxy()).run(app, "get", "example.com/nothing/deep/pkg").assertFailure();
        assertThat(counts(good)).isEqualTo(afterFirst);
        assertThat(counts(flaky)).isEqualTo(afterFirst);
    }

    @Test
    void aNotFoundIsRememberedForTheConfiguredValidityThenAskedAgain() throws Exception {
        String path = "/example.com/ttl/probe/@v/list";
        long started = System.nanoTime();
        assertPlainError(http.get(path), 404);
        assertPlainError(http.get(path), 404);
        assertThat(good.requestCount(path)).isOne();
        assertThat(flaky.requestCount(path)).isOne();
        long waited = Duration.ofNanos(System.nanoTime() - started).toMillis();
        Thread.sleep(Math.max(0, NOT_FOUND_VALIDITY.toMillis() + 500 - waited));
        assertPlainError(http.get(path), 404);
        assertThat(good.requestCount(path)).isEqualTo(2);
        assertThat(flaky.requestCount(path)).isEqualTo(2);
    }

    private static Map<String, Integer> counts(StaticGoProxy proxy) {
        Map<String, Integer> counts = new HashMap<>();
        for (String path : proxy.requestedPaths()) {
            counts.merge(path, 1, Integer::sum);
        }
        return counts;
    }

    private static void injectFaults() {
        flaky.inject(HALF.listPath(), Fault.status(500));
        for (GoModule m : List.of(REFUSED, BROKEN, HANGING, BUSY)) {
            Fault fault = m == REFUSED ? Fault.status(403) : m == BROKEN ? Fault.status(503)
                    : m == BUSY ? Fault.status(503).header("Retry-After", "120")
                    : Fault.delay(Duration.ofSeconds(30));
            for (String path : List.of(m.listPath(), m.latestPath(), m.infoPath(), m.modPath(), m.zipPath())) {
                flaky.inject(path, fault);
            }
        }
    }
}
