package dev.vreg.host.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.api.ApiClient;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.Fault;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.StaticGoProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/monitoring/ against Debian's real Prometheus: promtool accepts the alert rules and passes their unit tests;
 * a Prometheus scraping a vreg under a small load (real go pulls, shared fetches, an upstream error) has data for
 * every query of every dashboard panel, and the upstream-down alert fires once the upstream is killed.
 */
@Timeout(600)
class PrometheusMonitoringTest {

    static final Path MONITORING = Path.of("..", "docs", "monitoring").toAbsolutePath().normalize();
    static final GoModule ALPHA = GoModule.builder("example.com/alpha", "v1.0.0").build();
    static final GoModule SLOW = GoModule.builder("example.com/slow", "v1.0.0").build();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path temp;

    @Test
    void promtoolAcceptsTheRulesAndTheirUnitTests() throws Exception {
        assertThat(run(MONITORING, "promtool", "check", "rules", "vreg-alerts.yml")).contains("SUCCESS: 8 rules found");
        assertThat(run(MONITORING, "promtool", "test", "rules", "vreg-alerts.test.yml")).contains("SUCCESS");
    }

    @Test
    void aRealPrometheusHasEveryDashboardQueryAndFiresTheUpstreamAlert() throws Exception {
        try (StaticGoProxy upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("up")), ALPHA, SLOW)) {
            VregConfig config = TestVreg.config(TestVreg.newDataDir(), List.of(upstream.baseUrl()));
            try (VregServer vreg = TestVreg.start(config)) {
                int port = TestVreg.freePort();
                Process prometheus = startPrometheus(vreg.port(), port);
                String base = "http://127.0.0.1:" + port;
                try {
                    // Until its storage is open Prometheus answers queries with "unavailable"; that is waited out.
                    await("Prometheus scrapes vreg", () -> {
                        JsonObject answer = get(base + "/api/v1/query?query="
                                + URLEncoder.encode("up{job=\"vreg\"} == 1", StandardCharsets.UTF_8));
                        return "success".equals(answer.getString("status"))
                                && !answer.getJsonObject("data").getJsonArray("result").isEmpty();
                    });
                    load(vreg, upstream);
                    // Rates need two samples of each series after the load.
                    Thread.sleep(3_000);

                    Map<String, String> missing = new LinkedHashMap<>();
                    JsonObject dashboard = new JsonObject(Files.readString(MONITORING.resolve("vreg-dashboard.json")));
                    List<String> queries = new ArrayList<>();
                    for (Object panel : dashboard.getJsonArray("panels")) {
                        for (Object target : ((JsonObject) panel).getJsonArray("targets")) {
                            queries.add(((JsonObject) target).getString("expr"));
                        }
                    }
                    assertThat(queries).hasSizeGreaterThanOrEqualTo(16);
                    // The scheduled jobs run at their first tick, some seconds after the start: a query without
                    // data yet is asked again for a while.
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    List<String> pending = new ArrayList<>(queries);
                    while (true) {
                        pending.removeIf(expr -> !query(base, expr.replace("$registry", ".*")
                                .replace("$__rate_interval", "1m")).isEmpty());
                        if (pending.isEmpty() || System.nanoTime() > deadline) {
                            break;
                        }
                        Thread.sleep(500);
                    }
                    pending.forEach(expr -> missing.put(expr, "no data"));
                    assertThat(missing).as("dashboard queries without data").isEmpty();
                    String variable = dashboard.getJsonObject("templating").getJsonArray("list").getJsonObject(1)
                            .getString("definition");
                    assertThat(variable).contains("vreg_pull_requests_seconds_count");
                    assertThat(query(base, "vreg_pull_requests_seconds_count{registry=\"default/main\"}")).isNotEmpty();

                    assertThat(firing(base)).as("a healthy vreg fires nothing").isEmpty();
                    upstream.stop();
                    ApiClient http = new ApiClient(vreg.baseUrl());
                    assertThat(http.get("/go/default/main/" + ALPHA.path() + "/@v/v7.0.0.info", null).status())
                            .isEqualTo(502);
                    await("VregUpstreamDown fires", () -> firing(base).contains("VregUpstreamDown"));
                    assertThat(firing(base)).doesNotContain("VregDatabaseUnavailable", "VregDiskNearlyFull");
                } finally {
                    prometheus.destroy();
                    if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                        prometheus.destroyForcibly();
                    }
                }
            }
        }
    }

    /** Real go pulls (cold, then warm), concurrent pulls of a slow file, an unknown module and a failing answer. */
    private void load(VregServer vreg, StaticGoProxy upstream) throws Exception {
        String goproxy = vreg.baseUrl() + "/go/default/main";
        for (String name : List.of("cold", "warm")) {
            GoTool go = GoTool.builder(Files.createDirectories(temp.resolve(name))).proxy(goproxy).build();
            assertThat(go.modDownloadJson(ALPHA.path() + "@" + ALPHA.version()).get(0).error()).isNull();
        }
        upstream.inject(SLOW.zipPath(), Fault.delay(Duration.ofSeconds(1)));
        ExecutorService clients = Executors.newFixedThreadPool(3);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                answers.add(clients.submit(() -> new ApiClient(vreg.baseUrl())
                        .get("/go/default/main" + SLOW.zipPath(), null).status()));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get(60, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            clients.shutdownNow();
        }
        ApiClient http = new ApiClient(vreg.baseUrl());
        assertThat(http.get("/go/default/main/example.com/none/@v/v1.0.0.info", null).status()).isEqualTo(404);
        upstream.inject(ALPHA.path() + "/@v/v9.0.0.info", Fault.status(500));
        assertThat(http.get("/go/default/main/" + ALPHA.path() + "/@v/v9.0.0.info", null).status()).isEqualTo(502);
        // The upstream answers again, so only killing it below makes it count as down.
        assertThat(http.get("/go/default/main" + ALPHA.modPath(), null).status()).isEqualTo(200);
        upstream.clearFaults();
        assertThat(http.get("/go/default/main/" + SLOW.path() + "/@v/v1.0.0.mod", null).status()).isEqualTo(200);
    }

    /**
     * Prometheus scraping {@code vregPort} every second, evaluating a copy of the shipped rules every second whose
     * {@code for} durations are cut to 2 s, so an alert fires within the test; the expressions are the shipped ones.
     */
    private Process startPrometheus(int vregPort, int port) throws IOException {
        String rules = Files.readString(MONITORING.resolve("vreg-alerts.yml"))
                .replaceAll("(?m)^(\\s+for:) \\S+$", "$1 2s");
        Path rulesFile = Files.writeString(temp.resolve("rules.yml"), rules);
        Path configFile = Files.writeString(temp.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files: [%s]
                scrape_configs:
                  - job_name: vreg
                    metrics_path: /metrics
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(rulesFile, vregPort));
        Path log = temp.resolve("prometheus.log");
        return new ProcessBuilder("prometheus", "--config.file=" + configFile,
                "--storage.tsdb.path=" + Files.createDirectories(temp.resolve("tsdb")),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static JsonArray query(String base, String promql) {
        JsonObject answer = get(base + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertThat(answer.getString("status")).as(promql + ": " + answer).isEqualTo("success");
        return answer.getJsonObject("data").getJsonArray("result");
    }

    /** The names of the alerts firing now. */
    private static List<String> firing(String base) {
        List<String> names = new ArrayList<>();
        for (Object alert : get(base + "/api/v1/alerts").getJsonObject("data").getJsonArray("alerts")) {
            JsonObject a = (JsonObject) alert;
            if ("firing".equals(a.getString("state"))) {
                names.add(a.getJsonObject("labels").getString("alertname"));
            }
        }
        return names;
    }

    private static JsonObject get(String url) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return new JsonObject(response.body());
        } catch (IOException e) {
            // Not listening yet.
            return new JsonObject().put("status", "unavailable").put("data", new JsonObject()
                    .put("result", new JsonArray()).put("alerts", new JsonArray()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(500);
        }
    }

    private static String run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
