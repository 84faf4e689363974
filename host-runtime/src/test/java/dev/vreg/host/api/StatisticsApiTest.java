package dev.vreg.host.api;

import static dev.vreg.host.api.AdminApiFixture.expect;
import static dev.vreg.host.api.AdminApiFixture.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.api.ApiClient.Answer;
import dev.vreg.testkit.go.Fault;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.StaticGoProxy;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The statistics endpoints after real pulls: what a registry served (by file kind, hit ratio, top modules), what its
 * upstream was asked and answered, the CSV export of the same rows, bad ranges, and who may read them.
 */
@Timeout(300)
class StatisticsApiTest {

    static final GoModule ALPHA = GoModule.builder("example.com/alpha", "v1.0.0").build();
    static final GoModule BETA = GoModule.builder("example.com/beta", "v0.2.0").build();
    static final String BASE = "/api/v1/groups/default/registries/main/statistics";

    @TempDir
    Path temp;

    @Test
    void requestsTheFilterRulesRefusedAreCountedAsBlocked() throws Exception {
        try (StaticGoProxy upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("up")), ALPHA, BETA);
             AdminApiFixture f = new AdminApiFixture(config -> {
                 config.bootstrap.goUpstreams = List.of(upstream.baseUrl());
                 config.statistics.flushInterval = Duration.ofHours(1);
             })) {
            expect(f.api.put("/api/v1/groups/default/registries/main/filters", ADMIN, new JsonObject()
                    .put("rules", new io.vertx.core.json.JsonArray()
                            .add(new JsonObject().put("action", "deny").put("pattern", BETA.path())
                                    .put("reason", "beta is not allowed here"))
                            .add(new JsonObject().put("action", "deny").put("pattern", ALPHA.path())
                                    .put("versions", "= " + ALPHA.version())))), 200);
            String registry = "/go/default/main";
            assertThat(f.api.get(registry + ALPHA.zipPath(), null).status()).isEqualTo(403);
            assertThat(f.api.get(registry + BETA.infoPath(), null).status()).isEqualTo(403);
            assertThat(f.api.get(registry + BETA.listPath(), null).status()).isEqualTo(403);
            assertThat(f.api.get(registry + ALPHA.listPath(), null).status()).isEqualTo(200);
            assertThat(upstream.requestCount(ALPHA.zipPath())).as("a blocked file is never fetched").isZero();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            do {
                f.vreg.statistics().flush().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } while (expect(f.api.get(BASE, ADMIN), 200).getJsonObject("totals").getLong("requests") < 4
                    && System.nanoTime() < deadline);

            JsonObject stats = expect(f.api.get(BASE, ADMIN), 200);
            assertThat(stats.getJsonObject("totals").getLong("requests")).isEqualTo(4);
            assertThat(stats.getJsonObject("totals").getLong("blocked")).isEqualTo(3);
            assertThat(stats.getJsonObject("byFileKind").getJsonObject("zip").getLong("blocked")).isEqualTo(1);
            assertThat(stats.getJsonObject("byFileKind").getJsonObject("list").getLong("blocked")).isEqualTo(1);
            JsonObject beta = stats.getJsonArray("topModules").stream().map(JsonObject.class::cast)
                    .filter(m -> BETA.path().equals(m.getString("module"))).findFirst().orElseThrow();
            assertThat(beta.getLong("blocked")).isEqualTo(2);
            assertThat(stats.getJsonArray("series").getJsonObject(0).getLong("blocked")).isEqualTo(3);

            List<String> csv = f.api.get("/api/v1/groups/default/statistics/usage.csv", ADMIN).body().lines().toList();
            assertThat(csv.get(0)).endsWith(",bytes_served,blocked");
            assertThat(csv.stream().skip(1).mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(',') + 1))).sum())
                    .isEqualTo(3);
            for (String view : List.of("vreg_usage_daily", "vreg_usage_hourly")) {
                assertThat(f.vreg.pool().query("SELECT sum(blocked) AS n FROM " + view).execute().toCompletionStage()
                        .toCompletableFuture().get(30, TimeUnit.SECONDS).iterator().next().getLong("n"))
                        .as(view).isEqualTo(3);
            }
            String metrics = f.api.get("/metrics", null).body();
            assertThat(metrics).contains("vreg_pull_blocked_total{file_kind=\"zip\",registry=\"default/main\"} 1.0")
                    .contains("vreg_pull_blocked_total{file_kind=\"info\",registry=\"default/main\"} 1.0");
        }
    }

    @Test
    void statisticsTellWhatWasPulledAndFetched() throws Exception {
        try (StaticGoProxy upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("up")), ALPHA, BETA);
             AdminApiFixture f = new AdminApiFixture(config -> {
                 config.bootstrap.goUpstreams = List.of(upstream.baseUrl());
                 config.statistics.flushInterval = Duration.ofHours(1);
             })) {
            String goproxy = f.vreg.baseUrl() + "/go/default/main";
            for (String name : List.of("one", "two")) {
                GoTool go = GoTool.builder(Files.createDirectories(temp.resolve(name))).proxy(goproxy).build();
                assertThat(go.modDownloadJson(ALPHA.path() + "@" + ALPHA.version()).get(0).error()).isNull();
            }
            assertThat(f.api.get("/go/default/main" + BETA.modPath(), null).status()).isEqualTo(200);
            assertThat(f.api.get("/go/default/main/example.com/none/@v/v1.0.0.mod", null).status()).isEqualTo(404);
            upstream.inject(BETA.path() + "/@v/v9.9.9.info", Fault.status(503));
            assertThat(f.api.get("/go/default/main/" + BETA.path() + "/@v/v9.9.9.info", null).status())
                    .isEqualTo(502);
            // A request is counted once its response ended on the server, a moment after the client read it.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            do {
                f.vreg.statistics().flush().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                f.vreg.downloads().flush().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } while (expect(f.api.get(BASE, ADMIN), 200).getJsonObject("totals").getLong("requests") < 9
                    && System.nanoTime() < deadline);

            Path zipFile = temp.resolve("alpha.zip");
            ALPHA.writeZip(zipFile);
            long zipSize = Files.size(zipFile);
            for (String interval : List.of("day", "hour")) {
                JsonObject stats = expect(f.api.get(BASE + "?interval=" + interval, ADMIN), 200);
                assertThat(stats.getString("interval")).isEqualTo(interval);
                assertThat(stats.getInteger("upstreamsCount")).isEqualTo(1);
                JsonObject totals = stats.getJsonObject("totals");
                // alpha twice (.info, .mod, .zip), beta's .mod, one unknown module, one broken answer.
                assertThat(totals.getLong("requests")).isEqualTo(9);
                assertThat(totals.getLong("hits")).isEqualTo(3);
                assertThat(totals.getLong("fetches")).isEqualTo(4);
                assertThat(totals.getDouble("hitRatio")).isEqualTo(3.0 / 7);
                assertThat(totals.getLong("notFound")).isEqualTo(1);
                assertThat(totals.getLong("errors")).isEqualTo(1);
                JsonObject zip = stats.getJsonObject("byFileKind").getJsonObject("zip");
                assertThat(zip.getLong("requests")).isEqualTo(2);
                assertThat(zip.getLong("bytesServed")).isEqualTo(2 * zipSize);
                JsonObject top = stats.getJsonArray("topModules").getJsonObject(0);
                assertThat(top.getString("module")).isEqualTo(ALPHA.path());
                assertThat(top.getLong("requests")).isEqualTo(6);
                JsonObject storage = stats.getJsonObject("storage");
                assertThat(storage.getLong("files")).as("alpha's three files and beta's .mod").isEqualTo(4);
                assertThat(storage.getLong("fileBytes")).isEqualTo(storage.getLong("storedBytes")
                        + storage.getLong("savedBytes"));
                assertThat(storage.getLong("fileBytes")).isGreaterThan(zipSize);
                assertThat(stats.getJsonArray("series")).hasSize(1);
                assertThat(stats.getJsonArray("series").getJsonObject(0).getLong("requests")).isEqualTo(9);
            }

            long upstreamId = f.api.get("/api/v1/groups/default/upstreams", ADMIN).array().getJsonObject(0)
                    .getLong("id");
            JsonObject up = expect(f.api.get("/api/v1/groups/default/upstreams/" + upstreamId + "/statistics",
                    ADMIN), 200);
            JsonObject upTotals = up.getJsonObject("totals");
            assertThat(upTotals.getLong("requests")).as("answered with this upstream's copies").isEqualTo(7);
            assertThat(upTotals.getLong("hits")).isEqualTo(3);
            assertThat(upTotals.getLong("fetches")).as("alpha's 3 files, beta's .mod, the unknown and the broken one")
                    .isEqualTo(6);
            assertThat(upTotals.getLong("notFound")).isEqualTo(1);
            assertThat(upTotals.getLong("errors")).isEqualTo(1);
            assertThat(upTotals.getLong("bytesFetched")).isGreaterThanOrEqualTo(zipSize);
            assertThat(up.getJsonObject("errorsByKind").getLong("upstream_unavailable")).isEqualTo(1);
            assertThat(up.getJsonObject("latencyMs").getLong("p50")).isNotNull();
            assertThat(up.getJsonObject("latencyMs").getLong("p99")).isNotNull();
            assertThat(up.getString("lastSuccessAt")).isNotNull();
            assertThat(up.getString("lastFailureAt")).isNotNull();
            assertThat(up.getJsonObject("lastFailure").getString("kind")).isEqualTo("upstream_unavailable");
            assertThat(up.getJsonObject("lastFailure").getString("message")).isNotBlank();

            // Per cache entry: both pulls of the zip, the first included, and their bytes.
            JsonObject entry = expect(f.api.get("/api/v1/groups/default/upstreams/" + upstreamId + "/cache?search="
                    + ALPHA.path(), ADMIN), 200).getJsonArray("entries").stream().map(JsonObject.class::cast)
                    .filter(e -> e.getString("path").endsWith(".zip")).findFirst().orElseThrow();
            assertThat(entry.getLong("downloadsCount")).isEqualTo(2);
            assertThat(entry.getLong("bytesServed")).isEqualTo(2 * zipSize);

            // The CSV export holds the same rows.
            Answer csv = f.api.get("/api/v1/groups/default/statistics/usage.csv?interval=day", ADMIN);
            assertThat(csv.status()).isEqualTo(200);
            assertThat(csv.header("Content-Disposition")).isEqualTo("attachment; filename=\"vreg-usage-default-day.csv\"");
            List<String> lines = csv.body().lines().toList();
            assertThat(lines.get(0)).isEqualTo("time,group_name,registry,format,upstream,module,file_kind,requests,"
                    + "hits,fetches,not_found,errors,bytes_served,blocked");
            long csvRequests = lines.stream().skip(1).mapToLong(l -> Long.parseLong(l.split(",")[7])).sum();
            assertThat(csvRequests).isEqualTo(9);
            assertThat(lines).anyMatch(l -> l.contains(",default,main,go,") && l.contains("," + ALPHA.path()
                    + ",zip,2,1,1,0,0," + 2 * zipSize));

            // Rows past their retention (14 days by hour, 800 by day) go; younger ones stay.
            f.vreg.pool().query("""
                    INSERT INTO usage_stats (period, bucket, registry_id, upstream_id, module, file_kind, requests)
                    SELECT v.p, date_trunc(v.p, now() - v.age), r.id, 0, 'example.com/old', 'zip', 1
                      FROM registries r, (VALUES ('hour', interval '15 days'), ('day', interval '801 days'),
                                                 ('hour', interval '13 days'), ('day', interval '799 days')) AS v(p, age)
                     WHERE r.name = 'main'""").execute().toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            assertThat(f.vreg.statistics().expire().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS))
                    .isEqualTo(2);
            assertThat(f.vreg.pool().query("SELECT period, bucket FROM usage_stats WHERE module = 'example.com/old'")
                    .execute().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).size())
                    .isEqualTo(2);

            // Bad ranges are refused with the field at fault.
            Answer week = f.api.get(BASE + "?interval=week", ADMIN);
            assertThat(week.status()).isEqualTo(422);
            assertThat(week.contentType()).isEqualTo("application/problem+json");
            assertThat(week.body()).contains("interval");
            assertThat(f.api.get(BASE + "?from=2026-02-01&to=2026-01-01", ADMIN).status()).isEqualTo(422);
            assertThat(f.api.get(BASE + "?from=yesterday", ADMIN).body()).contains("from");
            assertThat(f.api.get(BASE + "?interval=hour&from=2025-01-01&to=2026-01-01", ADMIN).status())
                    .isEqualTo(422);
            assertThat(f.api.get("/api/v1/groups/default/registries/nope/statistics", ADMIN).status())
                    .isEqualTo(404);

            // Readers of the group may read them; nobody else learns the group exists.
            f.group("other");
            f.member("olga", "default", "owner", "read");
            String reader = f.member("rita", "default", "reader", "read");
            String stranger = f.member("otto", "other", "owner", "read");
            assertThat(f.api.get(BASE, reader).status()).isEqualTo(200);
            assertThat(f.api.get("/api/v1/groups/default/statistics/usage.csv", reader).status()).isEqualTo(200);
            assertThat(f.api.get(BASE, stranger).status()).isEqualTo(404);
            assertThat(f.api.get("/api/v1/groups/default/upstreams/" + upstreamId + "/statistics", stranger)
                    .status()).isEqualTo(404);
            assertThat(f.api.get("/api/v1/groups/default/statistics/usage.csv", stranger).status()).isEqualTo(404);
            assertThat(f.api.get(BASE, null).status()).isEqualTo(401);

            // The read-only role of docs/statistics.md reads the views, and neither the tables nor anything else.
            String grants = Files.readString(Path.of("..", "docs", "statistics.md")).lines()
                    .dropWhile(l -> !l.startsWith("CREATE ROLE vreg_bi")).takeWhile(l -> !l.startsWith("```"))
                    .collect(java.util.stream.Collectors.joining("\n")).replace("choose-one", "bi-secret-1");
            assertThat(grants).contains("GRANT SELECT ON vreg_usage_daily");
            for (String statement : grants.split(";")) {
                if (!statement.isBlank()) {
                    f.vreg.pool().query(statement).execute().toCompletionStage().toCompletableFuture()
                            .get(30, TimeUnit.SECONDS);
                }
            }
            int port = f.vreg.pool().query("SELECT inet_server_port() AS port").execute().toCompletionStage()
                    .toCompletableFuture().get(30, TimeUnit.SECONDS).iterator().next().getInteger("port");
            io.vertx.pgclient.PgConnection bi = io.vertx.pgclient.PgConnection.connect(f.vreg.vertx(),
                    new io.vertx.pgclient.PgConnectOptions().setHost("127.0.0.1").setPort(port)
                            .setDatabase("vreg").setUser("vreg_bi").setPassword("bi-secret-1"))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            try {
                long viewRequests = bi.query("SELECT sum(requests) AS n FROM vreg_usage_daily WHERE group_name = "
                        + "'default'").execute().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)
                        .iterator().next().getLong("n");
                assertThat(viewRequests).as("the export's rows and the daily row of 799 days ago kept above")
                        .isEqualTo(csvRequests + 1);
                for (String view : List.of("vreg_usage_hourly", "vreg_upstream_daily", "vreg_cache_entries")) {
                    assertThat(bi.query("SELECT count(*) FROM " + view).execute().toCompletionStage()
                            .toCompletableFuture().get(30, TimeUnit.SECONDS).size()).isEqualTo(1);
                }
                for (String denied : List.of("SELECT * FROM upstreams", "SELECT * FROM tokens",
                        "SELECT * FROM usage_stats", "DELETE FROM usage_stats")) {
                    assertThat(bi.query(denied).execute().toCompletionStage().toCompletableFuture()
                            .handle((rows, e) -> e).get(30, TimeUnit.SECONDS)).as(denied)
                            .hasMessageMatching("(?s).*(permission denied|read-only transaction).*");
                }
            } finally {
                bi.close();
            }
        }
    }
}
