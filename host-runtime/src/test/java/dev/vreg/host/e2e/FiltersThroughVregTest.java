package dev.vreg.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.api.ApiClient;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoResult;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.GoproxyFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
 * Filter rules as the go command meets them through vreg: a pinned-out range disappears from the version list and
 * from {@code @latest}, a denied version is refused with vreg's reason (printed by the go command) and never fetched,
 * an allow-list registry refuses everything else, the explain endpoint agrees, and every block is an audit event.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class FiltersThroughVregTest {

    static final String ADMIN = "vreg_filters-admin-token-0123456789abcdefghij";
    static final String MAIN = "/api/v1/groups/default/registries/main";
    static final String ORG = "/api/v1/groups/default/registries/org";
    static final String REASON = "CVE-2026-0042: stay on v1.1.x";

    static final GoModule LIB_1_0 = GoModule.builder("example.com/pol/lib", "v1.0.0").build();
    static final GoModule LIB_1_1 = GoModule.builder("example.com/pol/lib", "v1.1.0").build();
    static final GoModule LIB_1_2 = GoModule.builder("example.com/pol/lib", "v1.2.0").build();
    static final GoModule LIB_1_3 = GoModule.builder("example.com/pol/lib", "v1.3.0-rc.1").build();
    static final GoModule BANNED = GoModule.builder("example.com/pol/banned", "v1.0.0").build();
    static final GoModule OURS = GoModule.builder("github.com/myorg/tool", "v1.0.0").build();
    static final GoModule THEIRS = GoModule.builder("github.com/elsewhere/tool", "v1.0.0").build();
    static final GoModule RET_1_0 = GoModule.builder("example.com/pol/ret", "v1.0.0").build();
    static final GoModule RET_1_1 = GoModule.builder("example.com/pol/ret", "v1.1.0")
            .goMod("module example.com/pol/ret\n\ngo 1.21\n\nretract v1.0.0 // broken build\n").build();

    @TempDir
    static Path temp;

    static GoproxyFixture upstream;
    static VregServer vreg;
    static ApiClient api;
    static Path goCache;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        goCache = Files.createDirectories(temp.resolve("gocache"));
        upstream = GoproxyFixture.start();
        upstream.publish(LIB_1_0, LIB_1_1, LIB_1_2, LIB_1_3, BANNED, OURS, THEIRS, RET_1_0, RET_1_1);
        VregConfig config = TestVreg.config(TestVreg.newDataDir(), List.of(upstream.baseUrl().toString()));
        config.auth.adminToken = ADMIN;
        vreg = TestVreg.start(config);
        api = new ApiClient(vreg.baseUrl());
        ok(api.put(MAIN + "/filters", ADMIN, new JsonObject().put("rules", new JsonArray()
                .add(new JsonObject().put("action", "deny").put("pattern", "example.com/pol/lib")
                        .put("versions", ">= v1.2.0").put("reason", REASON))
                .add(new JsonObject().put("action", "deny").put("pattern", "example.com/pol/banned")))));
        ok(api.post("/api/v1/groups/default/registries", ADMIN, new JsonObject().put("name", "org")
                .put("format", "go").put("public", true)));
        long upstreamId = api.get(MAIN + "/upstreams", ADMIN).json().getJsonArray("upstreams").getJsonObject(0)
                .getLong("upstreamId");
        ok(api.post(ORG + "/upstreams", ADMIN, new JsonObject().put("upstreamId", upstreamId)));
        ok(api.put(ORG + "/filters", ADMIN, new JsonObject().put("mode", "allow-list").put("rules", new JsonArray()
                .add(new JsonObject().put("action", "allow").put("pattern", "github.com/myorg")))));
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

    static void ok(ApiClient.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isBetween(200, 201);
    }

    GoTool go(String name, String registry) throws Exception {
        return GoTool.builder(Files.createDirectories(temp.resolve(name)))
                .proxy(vreg.baseUrl() + "/go/default/" + registry).goCache(goCache).build();
    }

    static Path app(String name) throws Exception {
        Path dir = Files.createDirectories(temp.resolve(name));
        Files.writeString(dir.resolve("go.mod"), "module example.com/app\n\ngo 1.21\n");
        return dir;
    }

    static HttpResponse<String> get(String registry, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(vreg.baseUrl() + "/go/default/" + registry + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonObject explain(String registry, String module, String version) {
        JsonObject body = new JsonObject().put("module", module);
        if (version != null) {
            body.put("version", version);
        }
        ApiClient.Answer answer = api.post(registry + "/filters/explain", ADMIN, body);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    @Test
    @Order(1)
    void aDeniedRangeDisappearsFromTheVersionListAndLatestPicksTheNextAllowedOne() throws Exception {
        Path app = app("latest");
        GoTool go = go("latest-go", "main");
        GoResult versions = go.run(app, "list", "-m", "-versions", "example.com/pol/lib").assertSuccess();
        assertThat(versions.stdout().strip()).isEqualTo("example.com/pol/lib v1.0.0 v1.1.0");
        go.run(app, "get", "example.com/pol/lib@latest").assertSuccess();
        assertThat(Files.readString(app.resolve("go.mod"))).contains("example.com/pol/lib v1.1.0");
        // The same rule, asked through the explain endpoint, decides both ways.
        assertThat(explain(MAIN, "example.com/pol/lib", "v1.1.0").getBoolean("allowed")).isTrue();
        JsonObject denied = explain(MAIN, "example.com/pol/lib", "v1.2.0");
        assertThat(denied.getBoolean("allowed")).isFalse();
        assertThat(denied.getInteger("rule")).isEqualTo(1);
        assertThat(denied.getString("why")).contains(REASON);
        assertThat(explain(MAIN, "example.com/pol/lib", "v1.3.0-rc.1").getBoolean("allowed")).isFalse();
    }

    @Test
    @Order(2)
    void aDeniedVersionIsRefusedWithVregsReasonAndNeverFetched() throws Exception {
        upstream.resetCounters();
        Path app = app("pinned");
        GoResult result = go("pinned-go", "main").run(app, "get", "example.com/pol/lib@v1.2.0").assertFailure();
        assertThat(result.stderr()).contains("403 Forbidden").contains(REASON)
                .contains("example.com/pol/lib@v1.2.0 is denied by filter rule 1");
        assertThat(upstream.requestCount(LIB_1_2.infoPath())).isZero();
        assertThat(upstream.requestCount(LIB_1_2.modPath())).isZero();
        assertThat(upstream.requestCount(LIB_1_2.zipPath())).isZero();
        HttpResponse<String> zip = get("main", LIB_1_2.zipPath());
        assertThat(zip.statusCode()).isEqualTo(403);
        assertThat(zip.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(zip.body()).contains(REASON);
        assertThat(upstream.requestCount(LIB_1_2.zipPath())).isZero();
    }

    @Test
    @Order(3)
    void aDeniedModuleAnswers403ForEveryFile() throws Exception {
        upstream.resetCounters();
        for (String path : List.of(BANNED.listPath(), BANNED.latestPath(), BANNED.infoPath(), BANNED.modPath(),
                BANNED.zipPath())) {
            HttpResponse<String> answer = get("main", path);
            assertThat(answer.statusCode()).as(path).isEqualTo(403);
            assertThat(answer.body()).contains("example.com/pol/banned");
        }
        assertThat(upstream.totalRequests()).isZero();
        GoResult result = go("banned-go", "main").run(app("banned"), "get", "example.com/pol/banned@v1.0.0")
                .assertFailure();
        assertThat(result.stderr()).contains("403 Forbidden").contains("denied by filter rule 2");
        assertThat(explain(MAIN, "example.com/pol/banned", null).getBoolean("allowed")).isFalse();
    }

    @Test
    @Order(4)
    void anAllowListRegistryRefusesTheRest() throws Exception {
        Path app = app("allow");
        GoTool go = go("allow-go", "org");
        go.run(app, "get", OURS.path() + "@v1.0.0").assertSuccess();
        GoResult refused = go.run(app, "get", THEIRS.path() + "@v1.0.0").assertFailure();
        assertThat(refused.stderr()).contains("403 Forbidden").contains("allow-list");
        assertThat(get("org", THEIRS.listPath()).statusCode()).isEqualTo(403);
        JsonObject theirs = explain(ORG, THEIRS.path(), "v1.0.0");
        assertThat(theirs.getBoolean("allowed")).isFalse();
        assertThat(theirs.getValue("rule")).isNull();
        assertThat(theirs.getString("mode")).isEqualTo("allow-list");
        assertThat(explain(ORG, OURS.path(), "v1.0.0").getInteger("rule")).isEqualTo(1);
    }

    @Test
    @Order(5)
    void everyBlockIsAnAuditEventPagedNewestFirst() throws Exception {
        vreg.policies().flush().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        ApiClient.Answer answer = api.get("/api/v1/groups/default/audit-events?action=request.blocked&limit=1000",
                ADMIN);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonArray events = answer.json().getJsonArray("events");
        List<JsonObject> all = new ArrayList<>();
        events.forEach(e -> all.add((JsonObject) e));
        assertThat(all).allSatisfy(e -> {
            assertThat(e.getString("action")).isEqualTo("request.blocked");
            assertThat(e.getString("actor")).startsWith("anonymous from 127.0.0.1");
        });
        assertThat(all).anySatisfy(e -> {
            assertThat(e.getString("registry")).isEqualTo("main");
            assertThat(e.getString("module")).isEqualTo("example.com/pol/lib");
            assertThat(e.getString("version")).isEqualTo("v1.2.0");
            assertThat(e.getInteger("rule")).isEqualTo(1);
            assertThat(e.getString("reason")).contains(REASON);
        });
        assertThat(all).anySatisfy(e -> {
            assertThat(e.getString("registry")).isEqualTo("org");
            assertThat(e.getString("module")).isEqualTo(THEIRS.path());
            assertThat(e.getValue("rule")).isNull();
        });
        // banned: five files by HTTP, then the go command's own requests.
        assertThat(all.stream().filter(e -> "example.com/pol/banned".equals(e.getString("module"))).count())
                .isGreaterThanOrEqualTo(6);
        // Pages of two, following the cursor, give the same events in the same order.
        List<Long> paged = new ArrayList<>();
        String cursor = null;
        do {
            ApiClient.Answer page = api.get("/api/v1/groups/default/audit-events?action=request.blocked&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), ADMIN);
            assertThat(page.status()).isEqualTo(200);
            page.json().getJsonArray("events").forEach(e -> paged.add(((JsonObject) e).getLong("id")));
            cursor = page.json().getString("next");
        } while (cursor != null);
        assertThat(paged).isEqualTo(all.stream().map(e -> e.getLong("id")).toList());
        assertThat(api.get("/api/v1/groups/default/audit-events?to=2000-01-01T00:00:00Z", ADMIN).json()
                .getJsonArray("events")).isEmpty();
        assertThat(api.get("/api/v1/groups/default/audit-events?from=yesterday", ADMIN).status()).isEqualTo(422);
    }

    @Test
    @Order(6)
    void badRulesAreRefusedNamingThePatternOrRange() {
        ApiClient.Answer bad = api.put(MAIN + "/filters", ADMIN, new JsonObject().put("rules", new JsonArray()
                .add(new JsonObject().put("action", "deny").put("pattern", "example.com/[").put("versions", "< 1.4"))));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body()).contains("example.com/[").contains("< 1.4");
        // Nothing was saved: the rules read back unchanged.
        assertThat(api.get(MAIN + "/filters", ADMIN).json().getJsonArray("rules")).hasSize(2);
    }

    @Test
    @Order(7)
    void groupRulesApplyToEveryRegistryOfTheGroupBeforeItsOwn() throws Exception {
        String group = "/api/v1/groups/default/filters";
        assertThat(api.get(group, ADMIN).json()).isEqualTo(new JsonObject().put("mode", "deny-list")
                .put("rules", new JsonArray()));
        ApiClient.Answer bad = api.put(group, ADMIN, new JsonObject().put("rules", new JsonArray()
                .add(new JsonObject().put("action", "deny").put("pattern", "example.com/[").put("versions", "< 1.4"))));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body()).contains("example.com/[").contains("< 1.4");
        // Readers of the group read the group's rules; replacing them takes a maintainer.
        ok(api.post("/api/v1/users", ADMIN, new JsonObject().put("username", "olga")));
        ok(api.put("/api/v1/groups/default/members/olga", ADMIN, new JsonObject().put("role", "owner")));
        ok(api.post("/api/v1/users", ADMIN, new JsonObject().put("username", "rita")));
        ok(api.put("/api/v1/groups/default/members/rita", ADMIN, new JsonObject().put("role", "reader")));
        String reader = api.post("/api/v1/users/rita/tokens", ADMIN, new JsonObject().put("name", "t")
                .put("scopes", new JsonArray().add("read").add("write"))).json().getString("token");
        assertThat(api.get(group, reader).status()).isEqualTo(200);
        assertThat(api.put(group, reader, new JsonObject().put("rules", new JsonArray())).status()).isEqualTo(403);

        JsonObject rules = new JsonObject().put("rules", new JsonArray()
                .add(new JsonObject().put("action", "deny").put("pattern", "example.com/pol/lib")
                        .put("versions", "= v1.1.0").put("reason", "group freeze"))
                .add(new JsonObject().put("action", "allow").put("pattern", THEIRS.path())));
        ApiClient.Answer saved = api.put(group, ADMIN, rules);
        ok(saved);
        assertThat(saved.json().getJsonArray("rules")).hasSize(2);
        assertThat(api.get(group, reader).json().getJsonArray("rules").getJsonObject(0).getString("reason"))
                .isEqualTo("group freeze");

        // main: the group's rule removes v1.1.0, the registry's own still removes v1.2.0 and later.
        Path app = app("group");
        GoTool go = go("group-go", "main");
        assertThat(go.run(app, "list", "-m", "-versions", "example.com/pol/lib").assertSuccess().stdout().strip())
                .isEqualTo("example.com/pol/lib v1.0.0");
        GoResult refused = go.run(app, "get", "example.com/pol/lib@v1.1.0").assertFailure();
        assertThat(refused.stderr()).contains("403 Forbidden")
                .contains("example.com/pol/lib@v1.1.0 is denied by group filter rule 1").contains("group freeze");
        JsonObject byGroup = explain(MAIN, "example.com/pol/lib", "v1.1.0");
        assertThat(byGroup.getBoolean("allowed")).isFalse();
        assertThat(byGroup.getString("level")).isEqualTo("group");
        assertThat(byGroup.getInteger("rule")).isEqualTo(1);
        assertThat(byGroup.getString("why")).contains("group freeze");
        JsonObject byRegistry = explain(MAIN, "example.com/pol/lib", "v1.2.0");
        assertThat(byRegistry.getString("level")).isEqualTo("registry");
        assertThat(byRegistry.getInteger("rule")).isEqualTo(1);
        assertThat(explain(MAIN, "example.com/pol/lib", "v1.0.0").getValue("level")).isNull();

        // org, an allow-list: the group's allow rule admits a module the registry's own rules do not.
        JsonObject admitted = explain(ORG, THEIRS.path(), "v1.0.0");
        assertThat(admitted.getBoolean("allowed")).isTrue();
        assertThat(admitted.getString("level")).isEqualTo("group");
        assertThat(admitted.getInteger("rule")).isEqualTo(2);
        assertThat(get("org", THEIRS.infoPath()).statusCode()).isEqualTo(200);
        assertThat(explain(ORG, OURS.path(), "v1.0.0").getString("level")).isEqualTo("registry");
        assertThat(get("org", "/example.com/pol/banned/@v/list").statusCode()).isEqualTo(403);

        ok(api.put(group, ADMIN, new JsonObject()));
        assertThat(get("main", "/example.com/pol/lib/@v/v1.1.0.info").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(8)
    void versionsTheLatestGoModRetractsAreRefusedWhenARuleSaysRetracted() throws Exception {
        String withdrawn = "/api/v1/groups/default/registries/withdrawn";
        ok(api.post("/api/v1/groups/default/registries", ADMIN, new JsonObject().put("name", "withdrawn")
                .put("format", "go").put("public", true)));
        long upstreamId = api.get(MAIN + "/upstreams", ADMIN).json().getJsonArray("upstreams").getJsonObject(0)
                .getLong("upstreamId");
        ok(api.post(withdrawn + "/upstreams", ADMIN, new JsonObject().put("upstreamId", upstreamId)));
        ok(api.put(withdrawn + "/filters", ADMIN, new JsonObject().put("rules", new JsonArray()
                .add(new JsonObject().put("action", "deny").put("pattern", "example.com/pol/ret")
                        .put("versions", "retracted")))));
        Path app = app("retracted");

        // Without the rule the go command lists the retracted version when asked to; with it, vreg leaves it out.
        assertThat(go("retracted-main", "main").run(app, "list", "-m", "-retracted", "-versions",
                "example.com/pol/ret").assertSuccess().stdout().strip()).isEqualTo("example.com/pol/ret v1.0.0 v1.1.0");
        GoTool go = go("retracted-go", "withdrawn");
        assertThat(go.run(app, "list", "-m", "-retracted", "-versions", "example.com/pol/ret").assertSuccess()
                .stdout().strip()).isEqualTo("example.com/pol/ret v1.1.0");
        GoResult refused = go.run(app, "get", "example.com/pol/ret@v1.0.0").assertFailure();
        assertThat(refused.stderr()).contains("403 Forbidden").contains("retracted by the go.mod of v1.1.0")
                .contains("broken build");
        go.run(app, "get", "example.com/pol/ret@v1.1.0").assertSuccess();

        JsonObject explained = explain(withdrawn, "example.com/pol/ret", "v1.0.0");
        assertThat(explained.getBoolean("allowed")).isFalse();
        assertThat(explained.getJsonObject("withdrawn").getString("by")).isEqualTo("v1.1.0");
        assertThat(explained.getJsonObject("withdrawn").getString("rationale")).isEqualTo("broken build");
        assertThat(explain(withdrawn, "example.com/pol/ret", "v1.1.0").getBoolean("allowed")).isTrue();
    }
}
