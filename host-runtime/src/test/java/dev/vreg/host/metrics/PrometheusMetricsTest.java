package dev.vreg.host.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.api.ApiClient;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.support.Scrape;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.Fault;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.ModDownload;
import dev.vreg.testkit.go.StaticGoProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** /metrics after real pulls: the real go command, then HTTP for what go does not do (concurrent pulls, errors). */
@Timeout(300)
class PrometheusMetricsTest {

    static final GoModule ALPHA = GoModule.builder("example.com/alpha", "v1.0.0").build();
    static final GoModule SLOW = GoModule.builder("example.com/slow", "v1.0.0").build();
    static final String REGISTRY = "default/main";

    @TempDir
    Path temp;

    @Test
    void pullsMoveTheMetricsTheyShould() throws Exception {
        try (StaticGoProxy upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("up")), ALPHA, SLOW)) {
            VregConfig config = TestVreg.config(TestVreg.newDataDir(), List.of(upstream.baseUrl()));
            String name = "127.0.0.1:" + upstream.port();
            try (VregServer vreg = TestVreg.start(config)) {
                String goproxy = vreg.baseUrl() + "/go/default/main";
                Scrape before = Scrape.of(vreg.baseUrl());
                assertThat(before.sum("vreg_database_up")).isEqualTo(1);
                assertThat(before.sum("vreg_database_pool_max")).isEqualTo(config.database.poolSize);
                assertThat(before.sum("vreg_blobstore_disk_total_bytes")).isPositive();

                // go fetches .info, .mod and .zip of the module: three misses, fetched from the upstream.
                GoTool cold = GoTool.builder(Files.createDirectories(temp.resolve("cold"))).proxy(goproxy).build();
                List<ModDownload> fetched = cold.modDownloadJson(ALPHA.path() + "@" + ALPHA.version());
                assertThat(fetched).hasSize(1);
                assertThat(fetched.get(0).error()).isNull();
                long zipSize = Files.size(Path.of(fetched.get(0).zip()));
                Scrape afterCold = Scrape.of(vreg.baseUrl());
                assertThat(afterCold.sum("vreg_cache_requests_total", "registry", REGISTRY, "result", "miss"))
                        .isEqualTo(countOf(upstream, ALPHA));
                assertThat(afterCold.sum("vreg_cache_requests_total", "result", "hit")).isZero();
                assertThat(afterCold.sum("vreg_pull_requests_seconds_count", "registry", REGISTRY, "file_kind", "zip",
                        "status", "2xx")).isEqualTo(1);
                assertThat(afterCold.sum("vreg_pull_requests_seconds_bucket", "registry", REGISTRY, "file_kind",
                        "zip", "le", "+Inf")).isEqualTo(1);
                assertThat(afterCold.sum("vreg_pull_sent_bytes_total", "registry", REGISTRY, "file_kind", "zip"))
                        .isEqualTo(zipSize);
                assertThat(afterCold.sum("vreg_upstream_fetch_seconds_count", "upstream", name, "file_kind", "zip",
                        "outcome", "ok")).isEqualTo(1);
                assertThat(afterCold.sum("vreg_upstream_received_bytes_total", "upstream", name))
                        .isGreaterThanOrEqualTo(zipSize);
                assertThat(afterCold.sum("vreg_upstream_up", "upstream", name)).isEqualTo(1);
                assertThat(afterCold.sum("vreg_blobstore_operations_total", "operation", "commit",
                        "result", "success")).isEqualTo(3);

                // A second go with an empty module cache: the same three files, now hits.
                GoTool warm = GoTool.builder(Files.createDirectories(temp.resolve("warm"))).proxy(goproxy).build();
                assertThat(warm.modDownloadJson(ALPHA.path() + "@" + ALPHA.version()).get(0).error()).isNull();
                Scrape afterWarm = Scrape.of(vreg.baseUrl());
                assertThat(afterWarm.sum("vreg_cache_requests_total", "registry", REGISTRY, "result", "hit"))
                        .isEqualTo(3);
                assertThat(afterWarm.sum("vreg_pull_sent_bytes_total", "file_kind", "zip")).isEqualTo(2 * zipSize);
                assertThat(afterWarm.sum("vreg_upstream_fetch_seconds_count", "upstream", name))
                        .isEqualTo(afterCold.sum("vreg_upstream_fetch_seconds_count", "upstream", name));

                // Concurrent pulls of a file the upstream is slow to answer share one fetch.
                upstream.inject(SLOW.zipPath(), Fault.delay(Duration.ofSeconds(2)));
                ExecutorService clients = Executors.newFixedThreadPool(4);
                try {
                    List<Future<Integer>> answers = new ArrayList<>();
                    for (int i = 0; i < 4; i++) {
                        answers.add(clients.submit(() -> new ApiClient(vreg.baseUrl())
                                .get("/go/default/main" + SLOW.zipPath(), null).status()));
                    }
                    for (Future<Integer> answer : answers) {
                        assertThat(answer.get(60, TimeUnit.SECONDS)).isEqualTo(200);
                    }
                } finally {
                    clients.shutdownNow();
                }
                assertThat(upstream.requestCount(SLOW.zipPath())).isEqualTo(1);
                Scrape shared = Scrape.of(vreg.baseUrl());
                assertThat(shared.sum("vreg_singleflight_waits_total", "upstream", name)).isEqualTo(3);
                assertThat(shared.sum("vreg_cache_requests_total", "file_kind", "zip", "result", "wait"))
                        .isEqualTo(3);
                assertThat(shared.sum("vreg_upstream_fetch_seconds_bucket", "upstream", name, "file_kind", "zip",
                        "le", "1.0")).as("the slow fetch took longer than a second").isEqualTo(1);

                // Unknown modules are 404s, and the upstream's answer a not_found; a broken upstream an error.
                ApiClient http = new ApiClient(vreg.baseUrl());
                assertThat(http.get("/go/default/main/example.com/none/@v/v1.0.0.info", null).status())
                        .isEqualTo(404);
                upstream.inject(ALPHA.path() + "/@v/v9.0.0.info", Fault.status(500));
                assertThat(http.get("/go/default/main/" + ALPHA.path() + "/@v/v9.0.0.info", null).status())
                        .isEqualTo(502);
                Scrape failures = Scrape.of(vreg.baseUrl());
                assertThat(failures.sum("vreg_pull_requests_seconds_count", "registry", REGISTRY, "status", "4xx"))
                        .isEqualTo(1);
                assertThat(failures.sum("vreg_pull_requests_seconds_count", "registry", REGISTRY, "status", "5xx"))
                        .isEqualTo(1);
                assertThat(failures.sum("vreg_upstream_fetch_seconds_count", "upstream", name,
                        "outcome", "not_found")).isEqualTo(1);
                assertThat(failures.sum("vreg_upstream_errors_total", "upstream", name)).isEqualTo(1);
                assertThat(failures.sum("vreg_upstream_up", "upstream", name)).isZero();

                // A path naming no registry is counted under "none", never under what it said.
                assertThat(http.get("/go/default/nowhere/example.com/x/@v/list", null).status()).isEqualTo(404);
                vreg.statistics().flush().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                Scrape last = Scrape.of(vreg.baseUrl());
                assertThat(last.sum("vreg_pull_requests_seconds_count", "registry", "none")).isEqualTo(1);
                assertThat(last.text()).doesNotContain("nowhere").doesNotContain("example.com/");
                assertThat(last.sum("vreg_job_runs_total", "job", "statistics_write", "result", "success"))
                        .isPositive();
                assertThat(Pattern.compile("(?m)^vreg_\\w+\\{[^}]*module").matcher(last.text()).find()).isFalse();
            }
        }
    }

    /** How many of the module's files the upstream was asked for (go asks for .info, .mod and .zip). */
    static long countOf(StaticGoProxy upstream, GoModule module) {
        return upstream.requestCount(module.infoPath()) + upstream.requestCount(module.modPath())
                + upstream.requestCount(module.zipPath());
    }
}
