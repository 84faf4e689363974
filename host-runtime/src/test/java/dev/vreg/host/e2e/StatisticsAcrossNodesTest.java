package dev.vreg.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.api.ApiClient;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.db.postgres.EmbeddedPostgres;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.StaticGoProxy;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one PostgreSQL count the same rows at the same time, writing batches every few milliseconds while
 * the pulls run, and stop with counts still waiting: every pull is in the statistics exactly once, hourly and daily,
 * and in the cache entry's download count.
 */
@Timeout(300)
class StatisticsAcrossNodesTest {

    static final GoModule MODULE = GoModule.builder("example.com/counted", "v1.0.0").build();
    static final int PULLS_PER_NODE = 150;

    @TempDir
    Path temp;

    VregConfig node(String url, String upstream) {
        VregConfig config = TestVreg.config(TestVreg.newDataDir(), List.of(upstream));
        config.database.url = url;
        config.storage.path = temp.resolve("blobs");
        config.security.encryptionKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
        config.statistics.flushInterval = Duration.ofMillis(7);
        config.cache.downloadsFlushInterval = Duration.ofMillis(5);
        return config;
    }

    @Test
    void noIncrementIsLostAcrossNodesFlushesAndStops() throws Exception {
        try (EmbeddedPostgres database = EmbeddedPostgres.start(TestVreg.newDataDir());
             StaticGoProxy upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("up")), MODULE)) {
            String url = "postgresql://" + database.user() + ":" + database.password() + "@" + database.host() + ":"
                    + database.port() + "/" + database.database();
            VregServer a = TestVreg.start(node(url, upstream.baseUrl()));
            VregServer b = TestVreg.start(node(url, upstream.baseUrl()));
            String zip = "/go/default/main" + MODULE.zipPath();
            assertThat(new ApiClient(a.baseUrl()).get(zip, null).status()).isEqualTo(200);
            ExecutorService clients = Executors.newFixedThreadPool(8);
            try {
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < PULLS_PER_NODE; i++) {
                    answers.add(clients.submit(() -> new ApiClient(a.baseUrl()).get(zip, null).status()));
                    answers.add(clients.submit(() -> new ApiClient(b.baseUrl()).get(zip, null).status()));
                }
                for (Future<Integer> answer : answers) {
                    assertThat(answer.get(60, TimeUnit.SECONDS)).isEqualTo(200);
                }
            } finally {
                clients.shutdownNow();
            }
            // Counts made just before the stops wait in memory; the stops write them.
            assertThat(new ApiClient(b.baseUrl()).get(zip, null).status()).isEqualTo(200);
            a.close();
            b.close();

            long pulls = 2L * PULLS_PER_NODE + 2;
            try (VregServer reader = TestVreg.start(node(url, upstream.baseUrl()))) {
                for (String period : List.of("hour", "day")) {
                    Row row = one(reader, "SELECT sum(requests) AS requests, sum(hits) AS hits, sum(fetches) AS "
                            + "fetches FROM usage_stats WHERE period = $1 AND file_kind = 'zip'", period);
                    assertThat(row.getLong("requests")).as(period).isEqualTo(pulls);
                    assertThat(row.getLong("hits")).as(period).isEqualTo(pulls - 1);
                    assertThat(row.getLong("fetches")).as(period).isEqualTo(1);
                    assertThat(one(reader, "SELECT sum(fetches) AS fetches FROM upstream_stats WHERE period = $1",
                            period).getLong("fetches")).isEqualTo(upstream.totalRequests());
                }
                assertThat(one(reader, "SELECT downloads_count FROM cache_entries WHERE path LIKE '%.zip' AND $1 = $1",
                        "x").getLong("downloads_count")).isEqualTo(pulls);
            }
        }
    }

    static Row one(VregServer vreg, String sql, String arg) throws Exception {
        return vreg.pool().preparedQuery(sql).execute(Tuple.of(arg)).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS).iterator().next();
    }
}
