package dev.vreg.host.api;

import static dev.vreg.host.api.AdminApiFixture.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vreg.host.VregServer;
import dev.vreg.host.api.ApiClient.Answer;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.support.MovableClock;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.StaticGoProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every change the API description lists records exactly one audit event, named by its {@code x-audit} (none for an
 * operation marked {@code x-audit: false}, a question asked with a body), with the
 * caller, the resource before and after, and no secret; the log is filtered, paged, exported and expired.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditTrailTest {

    static final String ADMIN = AdminApiFixture.ADMIN;
    static final GoModule ALPHA = GoModule.builder("example.com/alpha", "v1.2.0").build();
    static final String PASSWORD = "upstream-password-that-must-not-leak";
    static final String WEBHOOK_SECRET = "webhook-secret-that-must-not-leak";

    @TempDir
    static Path temp;

    static StaticGoProxy upstream;
    static MovableClock clock;
    static VregServer vreg;
    static ApiClient api;
    static String adminName;
    /** Every event the walk recorded, by operationId. */
    static final Map<String, JsonObject> walked = new LinkedHashMap<>();
    /** Secrets the walk handled, none of which may be in the log. */
    static final List<String> secrets = new ArrayList<>(List.of(PASSWORD, WEBHOOK_SECRET));

    /** One call of an operation; {@code path} and {@code body} read what earlier calls left in {@code state}. */
    record Call(String operationId, String method, Function<Map<String, Object>, String> path,
                Function<Map<String, Object>, Object> body, Function<Map<String, Object>, String> token) {

        Call(String operationId, String method, Function<Map<String, Object>, String> path,
             Function<Map<String, Object>, Object> body) {
            this(operationId, method, path, body, s -> ADMIN);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("upstream")), ALPHA);
        VregConfig config = TestVreg.config(TestVreg.newDataDir(), List.of("http://127.0.0.1:9"));
        config.auth.adminToken = ADMIN;
        clock = new MovableClock();
        vreg = TestVreg.start(config, clock);
        api = new ApiClient(vreg.baseUrl());
        adminName = expect(api.get("/api/v1/user", ADMIN), 200).getString("username");
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

    static void flush() throws Exception {
        vreg.audit().flush().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static List<JsonObject> events(String query) {
        Answer answer = api.get("/api/v1/audit-events?limit=1000" + query, ADMIN);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<JsonObject> list = new ArrayList<>();
        answer.json().getJsonArray("events").forEach(e -> list.add((JsonObject) e));
        return list;
    }

    static long newest() throws Exception {
        flush();
        JsonArray newest = expect(api.get("/api/v1/audit-events?limit=1", ADMIN), 200).getJsonArray("events");
        return newest.isEmpty() ? 0 : newest.getJsonObject(0).getLong("id");
    }

    /** The non-GET operations of docs/openapi.yaml: operationId → "METHOD path", and their x-audit names. */
    static Map<String, String> changingOperations(Map<String, String> actions) throws Exception {
        JsonNode spec = new ObjectMapper(new YAMLFactory()).readTree(Path.of("..", "docs", "openapi.yaml").toFile());
        Map<String, String> operations = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = spec.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fields().forEachRemaining(op -> {
                String method = op.getKey().toUpperCase(Locale.ROOT);
                if (List.of("POST", "PUT", "PATCH", "DELETE").contains(method)) {
                    String id = op.getValue().path("operationId").asText();
                    operations.put(id, method + " " + path.getKey());
                    actions.put(id, op.getValue().path("x-audit").asText(null));
                }
            });
        }
        return operations;
    }

    static List<Call> walk() {
        String g = "/api/v1/groups/walk";
        return List.of(
                new Call("createGroup", "POST", s -> "/api/v1/groups", s -> new JsonObject().put("name", "walk")),
                new Call("createUser", "POST", s -> "/api/v1/users", s -> new JsonObject().put("username", "walker")),
                new Call("updateUser", "PATCH", s -> "/api/v1/users/walker",
                        s -> new JsonObject().put("email", "walker@example.com")),
                new Call("putMember", "PUT", s -> g + "/members/walker", s -> new JsonObject().put("role", "reader")),
                new Call("createPersonalToken", "POST", s -> "/api/v1/users/walker/tokens",
                        s -> new JsonObject().put("name", "laptop").put("scopes", new JsonArray().add("read"))),
                new Call("revokePersonalToken", "DELETE", s -> "/api/v1/users/walker/tokens/" + s.get("token"),
                        s -> null),
                new Call("createSession", "POST", s -> "/api/v1/sessions", s -> null),
                new Call("endSession", "DELETE", s -> "/api/v1/session", s -> null, s -> (String) s.get("session")),
                new Call("createDeployToken", "POST", s -> g + "/deploy-tokens",
                        s -> new JsonObject().put("name", "ci")),
                new Call("revokeDeployToken", "DELETE", s -> g + "/deploy-tokens/" + s.get("token"), s -> null),
                new Call("createUpstream", "POST", s -> g + "/upstreams", s -> new JsonObject().put("kind", "goproxy")
                        .put("url", upstream.baseUrl()).put("credentials", new JsonObject()
                                .put("username", "vreg").put("password", PASSWORD))),
                new Call("updateUpstream", "PATCH", s -> g + "/upstreams/" + s.get("upstream"),
                        s -> new JsonObject().put("name", "static")),
                new Call("testUpstream", "POST", s -> g + "/upstreams/" + s.get("upstream") + "/test", s -> null),
                new Call("testUpstreamConfiguration", "POST", s -> g + "/upstreams/test",
                        s -> new JsonObject().put("kind", "goproxy").put("url", "http://127.0.0.1:9")),
                new Call("createRegistry", "POST", s -> g + "/registries", s -> new JsonObject().put("name", "r1")
                        .put("format", "go").put("public", true)),
                new Call("updateRegistry", "PATCH", s -> g + "/registries/r1",
                        s -> new JsonObject().put("description", "after")),
                new Call("linkUpstream", "POST", s -> g + "/registries/r1/upstreams",
                        s -> new JsonObject().put("upstreamId", s.get("upstream"))),
                new Call("moveUpstream", "PATCH", s -> g + "/registries/r1/upstreams/" + s.get("upstream"),
                        s -> new JsonObject().put("position", 1)),
                new Call("putGitLabProjects", "PUT", s -> g + "/registries/r1/gitlab-projects",
                        s -> new JsonObject().put("projects", new JsonArray().add("walk/lib"))),
                new Call("putChecksumSettings", "PUT", s -> g + "/registries/r1/checksum-database",
                        s -> new JsonObject().put("verification", "off")),
                new Call("putVanityPrefixes", "PUT", s -> g + "/registries/r1/vanity-prefixes",
                        s -> new JsonObject().put("prefixes", new JsonArray().add("go.walk.example"))),
                new Call("putFilters", "PUT", s -> g + "/registries/r1/filters", s -> new JsonObject()
                        .put("mode", "deny-list").put("rules", new JsonArray().add(new JsonObject()
                                .put("action", "deny").put("pattern", "example.com/banned")))),
                new Call("putGroupFilters", "PUT", s -> g + "/filters", s -> new JsonObject()
                        .put("rules", new JsonArray().add(new JsonObject()
                                .put("action", "deny").put("pattern", "example.com/group-banned")))),
                new Call("explainFilters", "POST", s -> g + "/registries/r1/filters/explain",
                        s -> new JsonObject().put("module", ALPHA.path())),
                new Call("putRegistryLifecycle", "PUT", s -> g + "/registries/r1/lifecycle",
                        s -> new JsonObject().put("unusedDays", 90)),
                new Call("dryRunRegistryLifecycle", "POST", s -> g + "/registries/r1/lifecycle/dry-run", s -> null),
                new Call("runRegistryLifecycle", "POST", s -> g + "/registries/r1/lifecycle/runs", s -> null),
                new Call("putUpstreamLifecycle", "PUT", s -> g + "/upstreams/" + s.get("upstream") + "/lifecycle",
                        s -> new JsonObject().put("unusedDays", 90).put("enabled", false)),
                new Call("dryRunUpstreamLifecycle", "POST", s -> g + "/upstreams/" + s.get("upstream")
                        + "/lifecycle/dry-run", s -> null),
                new Call("runUpstreamLifecycle", "POST", s -> g + "/upstreams/" + s.get("upstream")
                        + "/lifecycle/runs", s -> null),
                new Call("runJob", "POST", s -> "/api/v1/jobs/blob-collection/runs", s -> null),
                new Call("deleteCacheEntry", "DELETE", s -> g + "/upstreams/" + s.get("upstream") + "/cache/"
                        + s.get("entry"), s -> null),
                new Call("purgeUpstreamCache", "DELETE", s -> g + "/upstreams/" + s.get("upstream") + "/cache",
                        s -> null),
                new Call("purgeRegistryCache", "DELETE", s -> g + "/registries/r1/cache", s -> null),
                new Call("collectStorage", "POST", s -> "/api/v1/storage/collections", s -> null),
                new Call("createWebhook", "POST", s -> g + "/webhooks", s -> new JsonObject()
                        .put("url", "http://127.0.0.1:9/hook").put("events", new JsonArray().add("entries.deleted"))
                        .put("secret", WEBHOOK_SECRET).put("enabled", false)),
                new Call("updateWebhook", "PATCH", s -> g + "/webhooks/" + s.get("webhook"),
                        s -> new JsonObject().put("description", "walked")),
                new Call("testWebhook", "POST", s -> g + "/webhooks/" + s.get("webhook") + "/test", s -> null),
                new Call("deleteWebhook", "DELETE", s -> g + "/webhooks/" + s.get("webhook"), s -> null),
                new Call("deleteRegistryLifecycle", "DELETE", s -> g + "/registries/r1/lifecycle", s -> null),
                new Call("deleteUpstreamLifecycle", "DELETE", s -> g + "/upstreams/" + s.get("upstream")
                        + "/lifecycle", s -> null),
                new Call("unlinkUpstream", "DELETE", s -> g + "/registries/r1/upstreams/" + s.get("upstream"),
                        s -> null),
                new Call("deleteRegistry", "DELETE", s -> g + "/registries/r1", s -> null),
                new Call("deleteUpstream", "DELETE", s -> g + "/upstreams/" + s.get("upstream"), s -> null),
                new Call("deleteMember", "DELETE", s -> g + "/members/walker", s -> null),
                new Call("deleteUser", "DELETE", s -> "/api/v1/users/walker", s -> null),
                new Call("deleteGroup", "DELETE", s -> g, s -> null));
    }

    @Test
    @Order(1)
    void everyChangeInTheApiDescriptionRecordsExactlyOneEvent() throws Exception {
        Map<String, String> actions = new HashMap<>();
        Map<String, String> operations = changingOperations(actions);
        assertThat(actions).as("every changing operation names its audit action with x-audit (false: none)")
                .allSatisfy((id, action) -> assertThat(action).as(id).isNotBlank());
        Map<String, Object> state = new HashMap<>();
        for (Call call : walk()) {
            assertThat(operations).as("the API description has " + call.operationId())
                    .containsEntry(call.operationId(), operations.get(call.operationId()));
            assertThat(operations.get(call.operationId())).startsWith(call.method() + " ");
            if (call.operationId().equals("deleteCacheEntry")) {
                for (String file : List.of(ALPHA.infoPath(), ALPHA.modPath(), ALPHA.zipPath())) {
                    assertThat(api.get("/go/walk/r1" + file, null).status()).isEqualTo(200);
                }
                JsonObject page = expect(api.get("/api/v1/groups/walk/upstreams/" + state.get("upstream")
                        + "/cache", ADMIN), 200);
                state.put("entry", page.getJsonArray("entries").getJsonObject(0).getLong("id"));
            }
            long before = newest();
            String path = call.path().apply(state);
            Object body = call.body().apply(state);
            String token = call.token().apply(state);
            Answer answer = switch (call.method()) {
                case "POST" -> api.post(path, token, body);
                case "PUT" -> api.put(path, token, body);
                case "PATCH" -> api.patch(path, token, body);
                default -> api.delete(path, token);
            };
            assertThat(answer.status()).as(call.operationId() + ": " + answer.body()).isBetween(200, 299);
            remember(call.operationId(), answer, state);
            flush();
            List<JsonObject> recorded = events("").stream().filter(e -> e.getLong("id") > before)
                    .filter(e -> !e.getString("action").equals("token.used"))
                    // What jobs record meanwhile (a lifecycle run's end) is no call's.
                    .filter(e -> e.getString("target") != null).toList();
            if (actions.get(call.operationId()).equals("false")) {
                assertThat(recorded).as(call.operationId() + " only asks a question").isEmpty();
                walked.put(call.operationId(), null);
                continue;
            }
            assertThat(recorded).as(call.operationId()).hasSize(1);
            JsonObject event = recorded.get(0);
            assertThat(event.getString("action")).isEqualTo(actions.get(call.operationId()));
            assertThat(event.getString("actor")).isEqualTo(adminName);
            assertThat(event.getString("address")).isEqualTo("127.0.0.1");
            assertThat(event.getString("target")).isEqualTo(path.substring("/api/v1".length()));
            walked.put(call.operationId(), event);
        }
        assertThat(new TreeSet<>(walked.keySet())).as("the walk calls every changing operation")
                .isEqualTo(new TreeSet<>(operations.keySet()));
    }

    private static void remember(String operationId, Answer answer, Map<String, Object> state) {
        switch (operationId) {
            case "createPersonalToken", "createDeployToken" -> {
                state.put("token", answer.json().getLong("id"));
                secrets.add(answer.json().getString("token"));
            }
            case "createSession" -> {
                state.put("session", answer.json().getString("accessToken"));
                secrets.add(answer.json().getString("accessToken"));
            }
            case "createUpstream" -> state.put("upstream", answer.json().getLong("id"));
            case "createWebhook" -> state.put("webhook", answer.json().getLong("id"));
            default -> {
            }
        }
    }

    @Test
    @Order(2)
    void eventsCarryTheResourceBeforeAndAfterWithSecretsMasked() {
        JsonObject updated = walked.get("updateRegistry");
        assertThat(updated.getString("group")).isEqualTo("walk");
        assertThat(updated.getString("registry")).isEqualTo("r1");
        assertThat(updated.getJsonObject("before").getValue("description")).isNotEqualTo("after");
        assertThat(updated.getJsonObject("after").getString("description")).isEqualTo("after");
        assertThat(walked.get("createRegistry").getString("registry")).isEqualTo("r1");
        assertThat(walked.get("createRegistry").getJsonObject("before")).isNull();
        assertThat(walked.get("createGroup").getString("group")).isEqualTo("walk");
        JsonObject filters = walked.get("putFilters");
        assertThat(filters.getJsonObject("before").getJsonArray("rules")).isEmpty();
        assertThat(filters.getJsonObject("after").getJsonArray("rules")).hasSize(1);
        JsonObject deleted = walked.get("deleteRegistry");
        assertThat(deleted.getJsonObject("before").getString("name")).isEqualTo("r1");
        assertThat(deleted.getJsonObject("after")).isNull();
        // Instance-wide changes belong to no group.
        assertThat(walked.get("createUser").getValue("group")).isNull();
        assertThat(walked.get("createSession").getValue("group")).isNull();
        // Secrets are masked where they were, and appear nowhere.
        assertThat(walked.get("createUpstream").getJsonObject("after").getBoolean("credentialsSet")).isTrue();
        assertThat(walked.get("createWebhook").getJsonObject("after").getString("secret")).isNull();
        assertThat(walked.get("createPersonalToken").getJsonObject("after").getString("token"))
                .isEqualTo("***");
        assertThat(walked.get("createSession").getJsonObject("after").getString("accessToken"))
                .isEqualTo("***");
        String log = String.join("\n", events("").stream().map(JsonObject::encode).toList());
        for (String secret : secrets) {
            assertThat(log).doesNotContain(secret);
        }
        // The admin's token use is recorded, not every call.
        assertThat(events("&action=token.used&group=walk")).hasSize(1);
    }

    @Test
    @Order(3)
    void theLogIsFilteredPagedAndExported() throws Exception {
        expect(api.post("/api/v1/groups", ADMIN, new JsonObject().put("name", "acme")), 201);
        expect(api.post("/api/v1/groups/acme/registries", ADMIN, new JsonObject().put("name", "main")
                .put("format", "go")), 201);
        expect(api.post("/api/v1/groups/acme/registries", ADMIN, new JsonObject().put("name", "side")
                .put("format", "go")), 201);
        for (int i = 0; i < 5; i++) {
            expect(api.patch("/api/v1/groups/acme/registries/main", ADMIN,
                    new JsonObject().put("description", "change " + i)), 200);
        }
        String maintainer = new Users(api).member("maya", "acme", "maintainer", "read");
        flush();

        String group = "/api/v1/groups/acme/audit-events";
        List<JsonObject> main = list(group + "?registry=main&action=registry.updated", maintainer);
        assertThat(main).hasSize(5).allSatisfy(e -> assertThat(e.getString("registry")).isEqualTo("main"));
        assertThat(main.get(0).getJsonObject("after").getString("description")).isEqualTo("change 4");
        assertThat(list(group + "?action=registry.*", maintainer)).extracting(e -> e.getString("action"))
                .containsOnly("registry.created", "registry.updated").hasSize(7);
        assertThat(list(group + "?actor=" + adminName, maintainer)).isNotEmpty()
                .allSatisfy(e -> assertThat(e.getString("actor")).isEqualTo(adminName));
        assertThat(list(group + "?actor=nobody", maintainer)).isEmpty();
        // The group's log has none of another group's events, nor instance-wide ones.
        assertThat(list(group, maintainer)).allSatisfy(e -> assertThat(e.getString("group")).isEqualTo("acme"));
        // A deleted group's events are the instance admin's to see, under its name.
        assertThat(events("&group=walk&action=group.deleted")).hasSize(1);
        assertThat(api.get("/api/v1/groups/walk/audit-events", ADMIN).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/audit-events", maintainer).status()).isEqualTo(403);

        // Pages of two follow the cursor through the same filtered events.
        List<Long> paged = new ArrayList<>();
        String cursor = null;
        do {
            JsonObject page = expect(api.get(group + "?action=registry.*&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), maintainer), 200);
            page.getJsonArray("events").forEach(e -> paged.add(((JsonObject) e).getLong("id")));
            cursor = page.getString("next");
        } while (cursor != null);
        assertThat(paged).isEqualTo(list(group + "?action=registry.*", maintainer).stream()
                .map(e -> e.getLong("id")).toList());

        // The export streams the same events, one JSON object a line.
        Answer export = api.get(group + ".ndjson?action=registry.*", maintainer);
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.header("Content-Type")).isEqualTo("application/x-ndjson");
        List<Long> exported = export.body().lines().map(line -> new JsonObject(line).getLong("id")).toList();
        assertThat(exported).isEqualTo(paged);
        Answer all = api.get("/api/v1/audit-events.ndjson", ADMIN);
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.body().lines().count()).isEqualTo(events("").size());
        assertThat(api.get(group + ".ndjson?from=yesterday", maintainer).status()).isEqualTo(422);
        String reader = new Users(api).member("rita", "acme", "reader", "read");
        assertThat(api.get(group + ".ndjson", reader).status()).isEqualTo(403);
    }

    @Test
    @Order(4)
    void eventsPastTheRetentionAreDeleted() throws Exception {
        flush();
        int before = events("").size();
        clock.advance(Duration.ofDays(400));
        expect(api.patch("/api/v1/groups/acme/registries/main", ADMIN,
                new JsonObject().put("description", "a year later")), 200);
        flush();
        Instant cutoff = clock.instant().minus(new VregConfig().audit.retention);
        // The hourly job, asked to run now.
        expect(api.post("/api/v1/jobs/audit-retention/runs", ADMIN, null), 202);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (events("&from=2000-01-01T00:00:00Z").size() > events("&from=" + cutoff).size()
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        List<JsonObject> left = events("&from=2000-01-01T00:00:00Z");
        assertThat(before).isPositive();
        assertThat(left).extracting(e -> e.getString("action")).contains("registry.updated");
        assertThat(left).allSatisfy(e -> assertThat(Instant.parse(e.getString("occurredAt"))).isAfter(cutoff));
    }

    static List<JsonObject> list(String path, String token) {
        JsonObject page = expect(api.get(path + (path.contains("?") ? "&" : "?") + "limit=1000", token), 200);
        List<JsonObject> list = new ArrayList<>();
        page.getJsonArray("events").forEach(e -> list.add((JsonObject) e));
        return list;
    }

    /** Users with roles, made through the API as {@link AdminApiFixture#member} does. */
    record Users(ApiClient api) {
        String member(String user, String group, String role, String... scopes) {
            expect(api.post("/api/v1/users", ADMIN, new JsonObject().put("username", user)), 201);
            expect(api.put("/api/v1/groups/" + group + "/members/" + user, ADMIN,
                    new JsonObject().put("role", role)), 200);
            return expect(api.post("/api/v1/users/" + user + "/tokens", ADMIN, new JsonObject().put("name", "t")
                    .put("scopes", new JsonArray(List.of((Object[]) scopes)))), 201).getString("token");
        }
    }
}
