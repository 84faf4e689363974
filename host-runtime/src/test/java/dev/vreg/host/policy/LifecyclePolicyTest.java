package dev.vreg.host.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.api.ApiClient;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.support.MovableClock;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.FileContent;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.StaticGoProxy;
import dev.vreg.testkit.upstream.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry's lifecycle policy, through the admin API, on a vreg whose clock the test moves on: files not pulled
 * for 90 days go, the newest version of each module stays when asked to, a file pulled within the window always; the
 * dry run lists exactly what the run then deletes and the bytes the store frees; each deleted version is an audit
 * event; the next run comes by the schedule; and the go command still downloads a kept module with the upstream gone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LifecyclePolicyTest {

    static final String ADMIN = "vreg_lifecycle-admin-token-0123456789abcdefghij";
    static final String BASE = "/api/v1/groups/acme/registries/main/lifecycle";
    static final Duration WAIT = Duration.ofSeconds(30);

    static final GoModule OLD = GoModule.builder("example.com/old", "v1.0.0")
            .file("data.bin", FileContent.pseudoRandom(1, 20_000)).build();
    static final GoModule LIB_1 = GoModule.builder("example.com/lib", "v1.0.0").build();
    static final GoModule LIB_2 = GoModule.builder("example.com/lib", "v1.10.0").build();
    static final GoModule LIB_3 = GoModule.builder("example.com/lib", "v1.9.0").build();
    static final GoModule FRESH = GoModule.builder("example.com/fresh", "v0.1.0").build();

    @TempDir
    static Path temp;

    static final MovableClock clock = new MovableClock();
    static StaticGoProxy upstream;
    static VregServer vreg;
    static ApiClient api;
    static long upstreamId;

    @BeforeAll
    static void start() throws Exception {
        upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("upstream")), OLD, LIB_1, LIB_2, LIB_3,
                FRESH);
        VregConfig config = TestVreg.config(TestVreg.newDataDir(), List.of("http://127.0.0.1:9"));
        config.auth.adminToken = ADMIN;
        config.storage.collection.interval = Duration.ZERO;
        // The test ticks the jobs itself.
        config.jobs.tick = Duration.ofHours(1);
        vreg = TestVreg.start(config, clock);
        api = new ApiClient(vreg.baseUrl());
        expect(api.post("/api/v1/groups", ADMIN, new JsonObject().put("name", "acme")), 201);
        upstreamId = expect(api.post("/api/v1/groups/acme/upstreams", ADMIN,
                new JsonObject().put("kind", "goproxy").put("url", upstream.baseUrl())), 201).getLong("id");
        expect(api.post("/api/v1/groups/acme/registries", ADMIN,
                new JsonObject().put("name", "main").put("format", "go").put("public", true)), 201);
        expect(api.post("/api/v1/groups/acme/registries/main/upstreams", ADMIN,
                new JsonObject().put("upstreamId", upstreamId)), 201);
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

    static JsonObject expect(ApiClient.Answer answer, int status) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        return answer.body() == null || answer.body().isEmpty() ? new JsonObject() : answer.json();
    }

    /**
     * Pulls every file of {@code modules} and waits until each pull is written: a pull is recorded once its response
     * ended on the server, which may be just after the client read the last byte.
     */
    static void pull(GoModule... modules) {
        long before = downloadsRecorded();
        int pulls = 0;
        for (GoModule module : modules) {
            for (String path : List.of(module.infoPath(), module.modPath(), module.zipPath())) {
                assertThat(api.get("/go/acme/main" + path, null).status()).as(path).isEqualTo(200);
                pulls++;
            }
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Await.result(vreg.downloads().flush(), WAIT);
            if (downloadsRecorded() == before + pulls) {
                return;
            }
            assertThat(System.nanoTime()).as("the pulls were not recorded").isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static long downloadsRecorded() {
        return Await.result(vreg.pool().query("SELECT COALESCE(sum(downloads_count), 0)::bigint FROM cache_entries")
                .execute(), WAIT).iterator().next().getLong(0);
    }

    static Set<String> cachedContent() {
        Set<String> paths = new TreeSet<>();
        Await.result(vreg.pool().query("SELECT path FROM cache_entries WHERE kind = 'CONTENT'").execute(), WAIT)
                .forEach(row -> paths.add(row.getString(0)));
        return paths;
    }

    static Set<String> paths(GoModule... modules) {
        Set<String> paths = new TreeSet<>();
        for (GoModule module : modules) {
            for (String path : List.of(module.infoPath(), module.modPath(), module.zipPath())) {
                paths.add(path.substring(1));
            }
        }
        return paths;
    }

    static JsonObject storage() {
        return expect(api.get("/api/v1/storage", ADMIN), 200);
    }

    /** Waits for the policy's newest run to end; answers the runs, newest first. */
    static JsonArray awaitRuns(int count) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonArray runs = expect(api.get(BASE + "/runs", ADMIN), 200).getJsonArray("runs");
            if (runs.size() >= count && !"running".equals(runs.getJsonObject(0).getString("outcome"))) {
                return runs;
            }
            assertThat(System.nanoTime()).as("the run did not end").isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static JsonObject dryRun;
    static long blobBytesBefore;

    @Test
    @Order(1)
    void aPolicyIsValidatedAndSet() {
        expect(api.get(BASE, ADMIN), 404);
        JsonObject refused = expect(api.put(BASE, ADMIN, new JsonObject().put("unusedDays", 0).put("keepNewest", -1)
                .put("everyHours", 9000)), 422);
        assertThat(refused.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
                .containsExactlyInAnyOrder("unusedDays", "keepNewest", "everyHours");
        JsonObject set = expect(api.put(BASE, ADMIN, new JsonObject().put("unusedDays", 90).put("keepNewest", 1)
                .put("everyHours", 24)), 200);
        assertThat(set.getString("registry")).isEqualTo("main");
        assertThat(set.getInteger("unusedDays")).isEqualTo(90);
        assertThat(set.getBoolean("enabled")).isTrue();
        assertThat(expect(api.get(BASE, ADMIN), 200)).isEqualTo(set);
    }

    @Test
    @Order(2)
    void theDryRunListsTheFilesNotPulledForNinetyDaysExceptTheNewestVersion() {
        pull(OLD, LIB_1, LIB_2, LIB_3);
        clock.advance(Duration.ofDays(60));
        pull(FRESH);
        clock.advance(Duration.ofDays(40));
        assertThat(cachedContent()).isEqualTo(paths(OLD, LIB_1, LIB_2, LIB_3, FRESH));

        dryRun = expect(api.post(BASE + "/dry-run", ADMIN, null), 200);
        // The newest version of each module stays however old: example.com/old's only one, and example.com/lib's
        // v1.10.0, the newest by semantic version (not by text).
        Set<String> listed = dryRun.getJsonArray("entries").stream().map(e -> ((JsonObject) e).getString("path"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(listed).isEqualTo(paths(LIB_1, LIB_3));
        assertThat(dryRun.getInteger("count")).isEqualTo(6);
        assertThat(dryRun.getBoolean("truncated")).isFalse();
        long bytes = dryRun.getJsonArray("entries").stream().mapToLong(e -> ((JsonObject) e).getLong("size")).sum();
        assertThat(dryRun.getLong("bytes")).isEqualTo(bytes);
        assertThat(dryRun.getLong("reclaimableBytes")).isPositive().isLessThanOrEqualTo(bytes);
        // Nothing went.
        assertThat(cachedContent()).hasSize(15);
    }

    @Test
    @Order(3)
    void aRunDeletesExactlyWhatTheDryRunListedAndFreesTheirBlobs() {
        blobBytesBefore = storage().getLong("blobBytes");
        JsonObject started = expect(api.post(BASE + "/runs", ADMIN, null), 202);
        assertThat(started.getString("job")).startsWith("lifecycle-policy-");
        JsonObject run = awaitRuns(1).getJsonObject(0);
        assertThat(run.getString("outcome")).as(run.encode()).isEqualTo("succeeded");
        assertThat(run.getString("trigger")).isEqualTo("manual");
        assertThat(run.getInteger("entriesDeleted")).isEqualTo(dryRun.getInteger("count"));
        assertThat(run.getLong("bytesDeleted")).isEqualTo(dryRun.getLong("bytes"));
        assertThat(run.getLong("reclaimedBytes")).isEqualTo(dryRun.getLong("reclaimableBytes"));
        assertThat(run.getLong("durationMs")).isNotNegative();
        assertThat(cachedContent()).isEqualTo(paths(OLD, LIB_2, FRESH));
        JsonObject totals = storage();
        assertThat(totals.getLong("blobBytes")).isEqualTo(blobBytesBefore - run.getLong("reclaimedBytes"));
        assertThat(totals.getLong("unreferencedBlobs")).isZero();

        JsonObject job = expect(api.get("/api/v1/jobs", ADMIN), 200).getJsonArray("jobs").stream()
                .map(JsonObject.class::cast).filter(j -> j.getString("name").equals(started.getString("job")))
                .findFirst().orElseThrow();
        assertThat(job.getJsonObject("lastRun").getString("outcome")).isEqualTo("succeeded");
        assertThat(job.getJsonObject("lastRun").getString("node")).isEqualTo(run.getString("node"));
        assertThat(job.getLong("everySeconds")).isEqualTo(24 * 3600);
        assertThat(job.getString("kind")).isEqualTo("lifecycle_policy");
    }

    @Test
    @Order(4)
    void eachDeletedVersionIsAnAuditEvent() {
        JsonArray events = expect(api.get("/api/v1/groups/acme/audit-events", ADMIN), 200).getJsonArray("events");
        List<String> deleted = new ArrayList<>();
        for (Object e : events) {
            JsonObject event = (JsonObject) e;
            if (AuditEvent.CACHE_ENTRIES_DELETED.equals(event.getString("action"))) {
                assertThat(event.getString("registry")).isEqualTo("main");
                assertThat(event.getString("actor")).startsWith("lifecycle-policy-");
                assertThat(event.getString("reason")).startsWith("not pulled for 90 days: 3 files");
                deleted.add(event.getString("module") + "@" + event.getString("version"));
            }
        }
        assertThat(deleted).containsExactlyInAnyOrder("example.com/lib@v1.0.0", "example.com/lib@v1.9.0");
    }

    @Test
    @Order(5)
    void theNextRunComesByTheScheduleAndNeverDeletesWhatWasPulledWithinTheWindow() {
        Await.result(vreg.jobs().tick(), WAIT);
        assertThat(expect(api.get(BASE + "/runs", ADMIN), 200).getJsonArray("runs")).hasSize(1);

        expect(api.put(BASE, ADMIN, new JsonObject().put("unusedDays", 90).put("everyHours", 24)), 200);
        pull(LIB_2);
        clock.advance(Duration.ofDays(55));
        // A run a node left behind when it died: the next run records it as cut short.
        Await.result(vreg.pool().query("INSERT INTO lifecycle_runs (policy_id, trigger, node, started_at, outcome)"
                + " SELECT id, 'scheduled', 'gone-node', now(), 'running' FROM lifecycle_policies").execute(), WAIT);
        Await.result(vreg.jobs().tick(), WAIT);
        JsonArray runs = awaitRuns(3);
        assertThat(runs.getJsonObject(1).getString("outcome")).isEqualTo("failed");
        assertThat(runs.getJsonObject(1).getString("error")).isEqualTo(
                "interrupted: node gone-node stopped before the run ended");
        JsonObject run = runs.getJsonObject(0);
        assertThat(run.getString("trigger")).isEqualTo("scheduled");
        assertThat(run.getString("outcome")).isEqualTo("succeeded");
        assertThat(run.getInteger("entriesDeleted")).isEqualTo(6);
        assertThat(cachedContent()).isEqualTo(paths(LIB_2));
    }

    @Test
    @Order(6)
    void theGoCommandStillDownloadsAKeptModuleWithTheUpstreamGone() throws Exception {
        upstream.close();
        GoTool go = GoTool.builder(Files.createDirectories(temp.resolve("go")))
                .proxy(vreg.baseUrl() + "/go/acme/main").sumDb("off").build();
        go.run("mod", "download", LIB_2.path() + "@" + LIB_2.version()).assertSuccess();
        assertThat(go.modCache().resolve("cache/download/example.com/lib/@v/v1.10.0.zip")).exists();
    }

    @Test
    @Order(7)
    void anUpstreamHasAPolicyOfItsOwn() {
        String upstreamPolicy = "/api/v1/groups/acme/upstreams/" + upstreamId + "/lifecycle";
        expect(api.get(upstreamPolicy, ADMIN), 404);
        JsonObject set = expect(api.put(upstreamPolicy, ADMIN, new JsonObject().put("unusedDays", 1)
                .put("enabled", false)), 200);
        assertThat(set.getLong("upstreamId")).isEqualTo(upstreamId);
        assertThat(set.getInteger("everyHours")).isEqualTo(24);
        clock.advance(Duration.ofDays(2));
        JsonObject plan = expect(api.post(upstreamPolicy + "/dry-run", ADMIN, null), 200);
        Set<String> listed = plan.getJsonArray("entries").stream().map(e -> ((JsonObject) e).getString("path"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(listed).isEqualTo(paths(LIB_2));
        // Disabled: listed as a paused job, not run by the schedule.
        Await.result(vreg.jobs().tick(), WAIT);
        JsonObject job = expect(api.get("/api/v1/jobs", ADMIN), 200).getJsonArray("jobs").stream()
                .map(JsonObject.class::cast).filter(j -> j.getString("name").equals(set.getString("job")))
                .findFirst().orElseThrow();
        assertThat(job.getBoolean("paused")).isTrue();
        assertThat(job.getValue("lastRun")).isNull();
        assertThat(expect(api.get(upstreamPolicy + "/runs", ADMIN), 200).getJsonArray("runs")).isEmpty();
        expect(api.delete(upstreamPolicy, ADMIN), 204);
    }

    @Test
    @Order(8)
    void deletingThePolicyRemovesItsJob() {
        expect(api.delete(BASE, ADMIN), 204);
        expect(api.get(BASE, ADMIN), 404);
        assertThat(expect(api.get("/api/v1/jobs", ADMIN), 200).getJsonArray("jobs").stream()
                .map(j -> ((JsonObject) j).getString("name"))).noneMatch(n -> n.startsWith("lifecycle-policy-"));
    }
}
