package dev.vreg.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.api.ApiClient;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoResult;
import dev.vreg.testkit.go.GoSumLine;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.GoproxyFixture;
import dev.vreg.testkit.go.TestChecksumDb;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The go command verifies modules through vreg against a checksum database built with golang.org/x/mod/sumdb, with
 * {@code GOSUMDB=<its key>} and vreg as its only GOPROXY: the database's own name does not resolve, so vreg's
 * pass-through is the only way to it. The registry reaches the database through its second upstream, which (like
 * proxy.golang.org) serves {@code /sumdb/<name>/}; the first serves the modules, one of them tampered with.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ChecksumDatabaseThroughVregTest {

    static final String ADMIN = "vreg_sumdb-admin-token-0123456789abcdefghijklm";
    static final String DB_NAME = "sum.vreg-test.invalid";
    static final String SETTINGS = "/api/v1/groups/default/registries/main/checksum-database";

    static final GoModule ALPHA = GoModule.builder("example.com/sumdb/alpha", "v1.0.0").build();
    static final GoModule BETA = GoModule.builder("example.com/sumdb/beta", "v1.1.0").build();
    static final GoModule GAMMA = GoModule.builder("example.com/sumdb/gamma", "v1.2.0").build();
    static final GoModule DELTA = GoModule.builder("example.com/sumdb/delta", "v1.3.0").build();
    static final GoModule GENUINE = GoModule.builder("example.com/sumdb/tamper", "v1.0.0")
            .file("answer.txt", "42\n").build();
    static final GoModule TAMPERED = GoModule.builder("example.com/sumdb/tamper", "v1.0.0")
            .file("answer.txt", "41\n").build();
    static final GoModule PRIVATE = GoModule.builder("corp.example/private/lib", "v0.1.0").build();

    @TempDir
    static Path temp;

    static GoproxyFixture upstream;
    static TestChecksumDb db;
    static VregServer vreg;
    static ApiClient api;
    static Path goCache;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        goCache = Files.createDirectories(temp.resolve("gocache"));
        List<GoModule> fillers = new ArrayList<>();
        for (int i = 0; i < 260; i++) {
            fillers.add(GoModule.builder("example.com/filler/f" + i, "v1.0.0").build());
        }
        List<GoModule> recorded = new ArrayList<>(List.of(ALPHA, BETA, GAMMA, DELTA, GENUINE));
        recorded.addAll(fillers);
        GoTool builder = GoTool.builder(temp.resolve("builder")).goCache(goCache).build();
        db = TestChecksumDb.start(builder, temp.resolve("db"), DB_NAME, recorded.toArray(GoModule[]::new));
        upstream = GoproxyFixture.start();
        upstream.publish(ALPHA, BETA, GAMMA, DELTA, TAMPERED, PRIVATE);
        VregConfig config = TestVreg.config(TestVreg.newDataDir(),
                List.of(upstream.baseUrl().toString(), db.root()));
        config.auth.adminToken = ADMIN;
        vreg = TestVreg.start(config);
        api = new ApiClient(vreg.baseUrl());
        settings("enforce");
        // Grow the log past a full tile through vreg, so the go command's proofs read full tiles as well as partial.
        for (GoModule filler : fillers) {
            assertThat(get(lookup(filler)).statusCode()).isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() {
        if (vreg != null) {
            vreg.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (db != null) {
            db.close();
        }
    }

    static void settings(String verification) {
        ApiClient.Answer answer = api.put(SETTINGS, ADMIN, new JsonObject().put("verification", verification)
                .put("databases", new JsonArray().add(new JsonObject().put("key", db.verifierKey())))
                .put("privatePatterns", new JsonArray().add("corp.example/private"))
                .put("answerValiditySeconds", 1));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }

    static String registry() {
        return vreg.baseUrl() + "/go/default/main";
    }

    static String lookup(GoModule module) {
        return "sumdb/" + DB_NAME + "/lookup/" + module.escapedPath() + "@" + module.version();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(registry() + "/" + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    GoTool go(String name) throws Exception {
        return GoTool.builder(Files.createDirectories(temp.resolve(name))).proxy(registry()).sumDb(db.verifierKey())
                .goCache(goCache).build();
    }

    static long count(String sql, Object... params) throws Exception {
        return vreg.pool().preparedQuery(sql).execute(Tuple.from(params)).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS).iterator().next().getLong(0);
    }

    @Test
    @Order(1)
    void supportedNamesTheConfiguredDatabasesOnly() throws Exception {
        assertThat(get("sumdb/" + DB_NAME + "/supported").statusCode()).isEqualTo(200);
        HttpResponse<String> other = get("sumdb/sum.golang.org/supported");
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(other.body()).contains("does not proxy checksum database sum.golang.org");
        assertThat(get("sumdb/" + DB_NAME + "/lookup/not-a-module").statusCode()).isEqualTo(400);
        // A registry whose upstreams do not proxy the database does not claim it: the go command would go direct.
        assertThat(api.post("/api/v1/groups/default/registries", ADMIN, new JsonObject().put("name", "bare")
                .put("format", "go").put("public", true)).status()).isEqualTo(201);
        assertThat(api.put("/api/v1/groups/default/registries/bare/checksum-database", ADMIN, new JsonObject()
                .put("databases", new JsonArray().add(new JsonObject().put("key", db.verifierKey())))).status())
                .isEqualTo(200);
        HttpResponse<String> bare = HTTP.send(HttpRequest.newBuilder(URI.create(vreg.baseUrl()
                + "/go/default/bare/sumdb/" + DB_NAME + "/supported")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bare.statusCode()).isEqualTo(404);
        assertThat(bare.body()).contains("no upstream of registry default/bare proxies checksum database " + DB_NAME);
    }

    @Test
    @Order(1)
    void aDatabaseWithAUrlIsAskedThereAndPassedThroughByteForByte() throws Exception {
        // A second registry with only the module upstream: its database is reached at the configured URL.
        assertThat(api.post("/api/v1/groups/default/registries", ADMIN, new JsonObject().put("name", "direct")
                .put("format", "go").put("public", true)).status()).isEqualTo(201);
        long upstreamId = api.get("/api/v1/groups/default/registries/main/upstreams", ADMIN).json()
                .getJsonArray("upstreams").getJsonObject(0).getLong("upstreamId");
        assertThat(api.post("/api/v1/groups/default/registries/direct/upstreams", ADMIN,
                new JsonObject().put("upstreamId", upstreamId)).status()).isEqualTo(201);
        assertThat(api.put("/api/v1/groups/default/registries/direct/checksum-database", ADMIN, new JsonObject()
                .put("databases", new JsonArray().add(new JsonObject().put("key", db.verifierKey())
                        .put("url", db.url())))).status()).isEqualTo(200);
        String direct = vreg.baseUrl() + "/go/default/direct/sumdb/" + DB_NAME + "/";
        HttpResponse<byte[]> tile = HTTP.send(HttpRequest.newBuilder(URI.create(direct + "tile/8/0/000")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(tile.statusCode()).isEqualTo(200);
        assertThat(tile.headers().firstValue("Content-Type")).contains("application/octet-stream");
        assertThat(tile.body()).isEqualTo(db.get("tile/8/0/000").body());
        HttpResponse<byte[]> missing = HTTP.send(HttpRequest.newBuilder(URI.create(direct
                + "lookup/example.com/not-recorded@v1.0.0")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void aCleanBuildVerifiesThroughVreg() throws Exception {
        long before = db.requests();
        Path app = GoTool.writeConsumer(Files.createDirectories(temp.resolve("app")), ALPHA, BETA);
        GoTool go = go("clean");
        go.run(app, "mod", "tidy").assertSuccess();
        go.run(app, "build", "-o", temp.resolve("app.bin").toString(), ".").assertSuccess();
        List<GoSumLine> sums = GoTool.readGoSum(app);
        assertThat(sums).containsExactlyInAnyOrderElementsOf(List.of(ALPHA.goSumLines().get(0),
                ALPHA.goSumLines().get(1), BETA.goSumLines().get(0), BETA.goSumLines().get(1)));
        // The go command's lookups went through vreg to the database, and vreg verified what it cached.
        assertThat(db.requests()).isGreaterThan(before);
        assertThat(Files.exists(go.goPath().resolve("pkg/sumdb/" + DB_NAME + "/latest"))).isTrue();
        assertThat(count("SELECT count(*) FROM checksum_db_trees")).isEqualTo(1);
    }

    @Test
    @Order(3)
    void aTamperedZipIsRefusedByVregInEnforce() throws Exception {
        GoResult result = go("tampered-enforce").run("mod", "download", TAMPERED.path() + "@" + TAMPERED.version());
        result.assertFailure();
        assertThat(result.stderr()).contains("403 Forbidden", "checksum mismatch", GENUINE.zipHash(),
                TAMPERED.zipHash(), TAMPERED.path() + "@" + TAMPERED.version());
        assertThat(count("SELECT count(*) FROM cache_entries WHERE path = $1 AND kind = 'CONTENT'",
                TAMPERED.zipPath().substring(1))).isZero();
    }

    @Test
    @Order(4)
    void privateLookupsAreRefusedAndNeverForwarded() throws Exception {
        long before = db.requests();
        GoResult result = go("private").run("mod", "download", PRIVATE.path() + "@" + PRIVATE.version());
        result.assertFailure();
        assertThat(result.stderr()).contains("403 Forbidden", "private module patterns");
        // Its files themselves are served unverified: the private module's name never goes to the database.
        assertThat(get(PRIVATE.zipPath().substring(1)).statusCode()).isEqualTo(200);
        assertThat(db.requests()).isEqualTo(before);
    }

    @Test
    @Order(5)
    void withVerificationOffTheGoCommandItselfCatchesTheTamperedZip() throws Exception {
        settings("off");
        GoResult result = go("tampered-off").run("mod", "download", TAMPERED.path() + "@" + TAMPERED.version());
        result.assertFailure();
        assertThat(result.stderr()).contains("SECURITY ERROR", "checksum mismatch", GENUINE.zipHash(),
                TAMPERED.zipHash());
        // Without verification vreg cached the upstream's file as it came.
        assertThat(count("SELECT count(*) FROM cache_entries WHERE path = $1 AND kind = 'CONTENT'",
                TAMPERED.zipPath().substring(1))).isEqualTo(1);
    }

    @Test
    @Order(6)
    void gonosumdbAndGosumdbOffCauseNoChecksumTraffic() throws Exception {
        long before = db.requests();
        GoTool noSumDb = GoTool.builder(Files.createDirectories(temp.resolve("nosumdb"))).proxy(registry())
                .sumDb(db.verifierKey()).noSumDb("example.com/sumdb/gamma").goCache(goCache).build();
        noSumDb.run("mod", "download", GAMMA.path() + "@" + GAMMA.version()).assertSuccess();
        GoTool off = GoTool.builder(Files.createDirectories(temp.resolve("sumdboff"))).proxy(registry())
                .sumDb("off").goCache(goCache).build();
        off.run("mod", "download", DELTA.path() + "@" + DELTA.version()).assertSuccess();
        assertThat(db.requests()).isEqualTo(before);
    }

    @Test
    @Order(7)
    void aCopyCachedWithoutVerificationIsRefusedOnceEnforced() throws Exception {
        settings("enforce");
        GoResult result = go("cached-enforce").run("mod", "download", TAMPERED.path() + "@" + TAMPERED.version());
        result.assertFailure();
        assertThat(result.stderr()).contains("403 Forbidden", "checksum mismatch", GENUINE.zipHash(),
                TAMPERED.zipHash());
    }

    @Test
    @Order(8)
    void inWarnTheCopyIsServedAndTheMismatchCounted() throws Exception {
        settings("warn");
        GoResult result = go("cached-warn").run("mod", "download", TAMPERED.path() + "@" + TAMPERED.version());
        // vreg served it; the go command's own check is what stops the build.
        result.assertFailure();
        assertThat(result.stderr()).contains("SECURITY ERROR").doesNotContain("403 Forbidden");
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(vreg.baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).containsPattern(
                "vreg_sumdb_verifications_total\\{[^}]*result=\"mismatch\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern("vreg_sumdb_lookups_refused_total\\{[^}]*} [1-9]");
    }

    @Test
    @Order(9)
    void whenTheDatabaseIsGoneCachedAnswersKeepServing() throws Exception {
        settings("enforce");
        String alpha = ALPHA.path() + "@" + ALPHA.version();
        go("warm").run("mod", "download", alpha).assertSuccess();
        HttpResponse<String> tile = get("sumdb/" + DB_NAME + "/tile/8/0/000");
        assertThat(tile.statusCode()).isEqualTo(200);
        // A full tile never changes: it is kept in the blob store.
        assertThat(count("SELECT count(*) FROM checksum_db_tiles WHERE path = 'tile/8/0/000'")).isEqualTo(1);
        db.close();
        Thread.sleep(1_500);
        // Blob collection keeps what a tile references, like what a cache entry references.
        ApiClient.Answer collected = api.post("/api/v1/storage/collections", ADMIN, new JsonObject());
        assertThat(collected.status()).as(collected.body()).isEqualTo(200);
        HttpResponse<String> again = get("sumdb/" + DB_NAME + "/tile/8/0/000");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(tile.body());
        HttpResponse<String> stale = get(lookup(ALPHA));
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.headers().firstValue("Warning").orElse(""))
                .contains("checksum database " + DB_NAME + " is unreachable; its cached answer was used");
        // A go command that has never seen the database verifies the module from vreg's cached answers alone.
        go("offline").run("mod", "download", alpha).assertSuccess();
    }
}
