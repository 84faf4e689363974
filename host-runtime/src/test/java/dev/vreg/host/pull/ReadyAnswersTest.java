package dev.vreg.host.pull;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.api.ApiClient;
import dev.vreg.host.cache.CacheEntry;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.proxy.ContentResolver;
import dev.vreg.host.storage.FileSystemBlobStore;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.StaticGoProxy;
import dev.vreg.testkit.upstream.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The answers sent before the pull stages: the same bytes and headers as the stages send, counted like every pull,
 * and gone as soon as anything the stages decided on changes.
 */
@Timeout(300)
class ReadyAnswersTest {

    static final String ADMIN = "vreg_ready-answers-admin-token-0123456789abcdef";
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path temp;

    static StaticGoProxy upstream;
    static VregServer vreg;
    static ApiClient api;
    static long upstreamId;

    @BeforeAll
    static void start() throws Exception {
        upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("upstream")), module("counted"),
                module("deleted"), module("closed"), module("filtered"), module("ruled"));
        VregConfig config = TestVreg.config(TestVreg.newDataDir(), List.of(upstream.baseUrl()));
        config.auth.adminToken = ADMIN;
        vreg = TestVreg.start(config);
        api = new ApiClient(vreg.baseUrl());
        upstreamId = api.get("/api/v1/groups/default/upstreams", ADMIN).array().getJsonObject(0).getLong("id");
    }

    @AfterAll
    static void stop() {
        if (vreg != null) {
            vreg.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    static GoModule module(String name) {
        return GoModule.builder("example.com/ready/" + name, "v1.0.0").build();
    }

    /** A public registry of its own in front of the upstream, so that each test changes only its own. */
    static String registry(String name) {
        assertThat(api.post("/api/v1/groups/default/registries", ADMIN, new JsonObject().put("name", name)
                .put("format", "go").put("public", true)).status()).isEqualTo(201);
        assertThat(api.post("/api/v1/groups/default/registries/" + name + "/upstreams", ADMIN,
                new JsonObject().put("upstreamId", upstreamId)).status()).isEqualTo(201);
        return "/go/default/" + name;
    }

    /**
     * Fetches the file, then asks once more so that the stages answer it from memory and keep the answer, which
     * they do once the answer was sent.
     */
    static ApiClient.Answer warmed(String path) {
        assertThat(api.get(path, null).status()).isEqualTo(200);
        ApiClient.Answer fromStages = api.get(path, null);
        assertThat(fromStages.status()).isEqualTo(200);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!vreg.readyAnswers().holds(path) && System.nanoTime() < deadline && pause()) {
            // waits for the answer to be kept
        }
        assertThat(vreg.readyAnswers().holds(path)).as("the stages' answer is kept").isTrue();
        return fromStages;
    }

    @Test
    void aReadyAnswerIsWhatTheStagesSentAndEveryPullOfItIsCounted() throws Exception {
        GoModule counted = module("counted");
        String path = registry("counted") + counted.infoPath();
        ApiClient.Answer fromStages = warmed(path);

        ApiClient.Answer ready = api.get(path, null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo(fromStages.body()).isEqualTo(counted.infoJson());
        for (String header : List.of("Content-Type", "ETag", "Cache-Control", "Accept-Ranges", "Content-Length")) {
            assertThat(ready.header(header)).as(header).isNotNull().isEqualTo(fromStages.header(header));
        }
        assertThat(ready.header("X-Request-Id")).isNotNull().isNotEqualTo(fromStages.header("X-Request-Id"));
        ApiClient.Answer head = api.head(path, null);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.header("Content-Length")).isEqualTo(fromStages.header("Content-Length"));

        // A range or a condition is the stages' to answer.
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> range = http.send(HttpRequest.newBuilder(URI.create(vreg.baseUrl() + path))
                .header("Range", "bytes=0-3").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(counted.infoJson().substring(0, 4));
        HttpResponse<String> unchanged = http.send(HttpRequest.newBuilder(URI.create(vreg.baseUrl() + path))
                .header("If-None-Match", fromStages.header("ETag")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unchanged.statusCode()).isEqualTo(304);
        for (int i = 0; i < 20; i++) {
            assertThat(api.get(path, null).status()).isEqualTo(200);
        }
        assertThat(upstream.requestCount(counted.infoPath())).as("fetched once").isEqualTo(1);

        // The fetch, the stages' answer, 21 ready answers, the range and the 304; HEAD sends nothing.
        long expected = 1 + 1 + 21 + 1 + 1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long counted1;
        do {
            Await.result(vreg.downloads().flush(), WAIT);
            counted1 = entry(counted, ".info").getLong("downloadsCount");
        } while (counted1 < expected && System.nanoTime() < deadline && pause());
        assertThat(counted1).isEqualTo(expected);
    }

    @Test
    void aDeletedEntryIsFetchedAgain() {
        GoModule deleted = module("deleted");
        String registry = registry("deleted");
        warmed(registry + deleted.modPath());
        assertThat(api.get(registry + deleted.modPath(), null).body()).isEqualTo(new String(deleted.modBytes(), StandardCharsets.UTF_8));
        assertThat(api.delete("/api/v1/groups/default/registries/deleted/cache", ADMIN).status()).isEqualTo(200);

        assertThat(api.get(registry + deleted.modPath(), null).body()).isEqualTo(new String(deleted.modBytes(), StandardCharsets.UTF_8));
        assertThat(upstream.requestCount(deleted.modPath())).as("fetched again after the deletion").isEqualTo(2);
    }

    @Test
    void aRegistryMadePrivateAsksForATokenAtOnce() {
        GoModule closed = module("closed");
        String path = registry("closed") + closed.infoPath();
        warmed(path);
        assertThat(api.get(path, null).status()).isEqualTo(200);
        assertThat(api.patch("/api/v1/groups/default/registries/closed", ADMIN, new JsonObject().put("public", false))
                .status()).isEqualTo(200);

        assertThat(api.get(path, null).status()).isEqualTo(401);
        assertThat(api.get(path, ADMIN).status()).isEqualTo(200);
    }

    @Test
    void aFilterRuleRefusesAtOnceAndARuledRegistryKeepsNoAnswers() {
        GoModule filtered = module("filtered");
        String path = registry("filtered") + filtered.infoPath();
        warmed(path);
        assertThat(api.get(path, null).status()).isEqualTo(200);
        assertThat(api.put("/api/v1/groups/default/registries/filtered/filters", ADMIN, new JsonObject()
                .put("rules", new JsonArray().add(new JsonObject().put("action", "deny")
                        .put("pattern", filtered.path()).put("reason", "not here"))))
                .status()).isEqualTo(200);
        assertThat(api.get(path, null).status()).isEqualTo(403);

        GoModule ruled = module("ruled");
        String ruledPath = registry("ruled") + ruled.infoPath();
        assertThat(api.put("/api/v1/groups/default/registries/ruled/filters", ADMIN, new JsonObject()
                .put("rules", new JsonArray().add(new JsonObject().put("action", "deny")
                        .put("pattern", "example.com/elsewhere").put("reason", "not here"))))
                .status()).isEqualTo(200);
        assertThat(api.get(ruledPath, null).status()).isEqualTo(200);
        assertThat(api.get(ruledPath, null).status()).isEqualTo(200);
        assertThat(api.get(ruledPath, null).status()).isEqualTo(200);
        pause();
        assertThat(vreg.readyAnswers().holds(ruledPath)).as("filter rules are decided on every request").isFalse();
    }

    @Test
    void anAnswerWorkedOutAcrossAChangeOrForADroppedCopyIsNotKept(@TempDir Path dir) throws Exception {
        Vertx vertx = vreg.vertx();
        FileSystemBlobStore store = FileSystemBlobStore.open(vertx, dir);
        SmallFiles small = SmallFiles.of(vertx, 1000, 2000);
        ReadyAnswers answers = new ReadyAnswers(small, null, null);
        CacheEntry entry = stored(store, 1, "example.com/a/@v/v1.0.0.info", "{\"Version\":\"v1.0.0\"}");
        Await.result(small.get(entry, store), WAIT);
        ContentResolver.Outcome outcome = new ContentResolver.Outcome(entry, false, ContentResolver.Source.CACHE);

        long before = answers.generation();
        answers.forget();
        answers.remember(before, "/go/g/r/a", null, null, outcome, Instant.now(), null);
        assertThat(answers.size()).as("a change came between the stages and the answer").isZero();

        answers.remember(answers.generation(), "/go/g/r/a", null, null, outcome, Instant.now(), null);
        assertThat(answers.size()).isEqualTo(1);
        answers.remember(answers.generation(), "/go/g/r/stale", null, null, outcome, Instant.now(),
                Instant.now().minusSeconds(1));
        assertThat(answers.size()).as("an entry no longer fresh").isEqualTo(1);

        // Files filling the copies' bound push the first copy out, and its answer with it.
        for (int i = 2; i < 40; i++) {
            Await.result(small.get(stored(store, i, "example.com/b" + i + "/@v/v1.0.0.info",
                    "{\"Version\":\"v1.0." + i + "\"}"), store), WAIT);
        }
        assertThat(small.held(entry)).isNull();
        assertThat(answers.size()).as("the answer of a dropped copy").isZero();
    }

    private static boolean pause() {
        try {
            Thread.sleep(100);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static JsonObject entry(GoModule module, String suffix) {
        return api.get("/api/v1/groups/default/upstreams/" + upstreamId + "/cache?search=" + module.path(), ADMIN)
                .json().getJsonArray("entries").stream().map(JsonObject.class::cast)
                .filter(e -> e.getString("path").endsWith(suffix)).findFirst().orElseThrow();
    }

    private static CacheEntry stored(FileSystemBlobStore store, long id, String path, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        Path file = Await.result(store.createTemp(), WAIT);
        Files.write(file, bytes);
        Await.result(store.commit(file, digest), WAIT);
        return new CacheEntry(id, 1, path, CacheEntry.CONTENT, digest, null, bytes.length, "application/json", null,
                new JsonObject(), Instant.now(), Instant.now());
    }
}
