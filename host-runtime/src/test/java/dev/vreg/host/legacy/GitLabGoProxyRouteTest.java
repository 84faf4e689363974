package dev.vreg.host.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.api.ApiClient;
import dev.vreg.host.support.MovableClock;
import dev.vreg.host.support.PrivateGoRegistry;
import dev.vreg.testkit.go.GoConsumer;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoTool;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * GitLab's experimental Go proxy route, {@code /api/v4/projects/:id/packages/go}, answered by the registry a project
 * is mapped to: the same bytes as the registry's own path, deprecation headers on every answer, callers counted, and
 * the real go command building through it.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class GitLabGoProxyRouteTest {

    static final GoModule TOOLS = GoModule.builder("gitlab.example.com/acme/tools", "v1.4.0").build();
    static final String ADMIN = PrivateGoRegistry.ADMIN_TOKEN;
    static final String PROJECTS = "/api/v1/groups/acme/registries/private/gitlab-projects";

    @TempDir
    static Path temp;

    static PrivateGoRegistry registry;
    static ApiClient api;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        registry = PrivateGoRegistry.start(new MovableClock(), config -> { }, TOOLS);
        api = registry.api;
        ApiClient.Answer put = api.put(PROJECTS, ADMIN,
                new JsonObject().put("projects", new JsonArray().add("1234").add("Acme/Tools")));
        assertThat(put.status()).as(put.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    static HttpResponse<byte[]> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.vreg.baseUrl() + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void mappedProjectsAreListedNormalized() {
        ApiClient.Answer answer = api.get(PROJECTS, ADMIN);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().getJsonArray("projects")).containsExactly("1234", "acme/tools");
        assertThat(answer.json().getBoolean("routeEnabled")).isTrue();
    }

    @Test
    void theRouteAnswersTheSameBytesAsTheRegistryWithDeprecationHeaders() throws Exception {
        String file = "/gitlab.example.com/acme/tools/@v/v1.4.0.zip";
        HttpResponse<byte[]> direct = get("/go/acme/private" + file, registry.readerToken);
        assertThat(direct.statusCode()).isEqualTo(200);
        for (String project : new String[] {"1234", "acme%2Ftools", "ACME%2FTools"}) {
            HttpResponse<byte[]> legacy = get("/api/v4/projects/" + project + "/packages/go" + file,
                    registry.readerToken);
            assertThat(legacy.statusCode()).as(project).isEqualTo(200);
            assertThat(legacy.body()).as(project).isEqualTo(direct.body());
            assertThat(legacy.headers().firstValue("Deprecation")).hasValue(
                    "@" + Instant.parse("2026-12-01T00:00:00Z").getEpochSecond());
            assertThat(legacy.headers().firstValue("Sunset")).hasValue("Wed, 1 Dec 2027 00:00:00 GMT");
            assertThat(legacy.headers().firstValue("Link")).hasValueSatisfying(link -> assertThat(link)
                    .contains("</docs/migration-from-go-proxy.md>; rel=\"deprecation\""));
            assertThat(direct.headers().firstValue("Deprecation")).isEmpty();
        }
        HttpResponse<byte[]> list = get("/api/v4/projects/1234/packages/go/gitlab.example.com/acme/tools/@v/list",
                registry.readerToken);
        assertThat(new String(list.body())).isEqualTo("v1.4.0\n");
    }

    @Test
    void theRegistrysFilterRulesApplyOnTheRouteToo() throws Exception {
        String filters = "/api/v1/groups/acme/registries/private/filters";
        ApiClient.Answer put = api.put(filters, ADMIN, new JsonObject().put("rules", new JsonArray().add(
                new JsonObject().put("action", "deny").put("pattern", TOOLS.path()).put("versions", "= v1.4.0")
                        .put("reason", "withdrawn"))));
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        try {
            String base = "/api/v4/projects/1234/packages/go/gitlab.example.com/acme/tools/@v/";
            HttpResponse<byte[]> zip = get(base + "v1.4.0.zip", registry.readerToken);
            assertThat(zip.statusCode()).isEqualTo(403);
            assertThat(new String(zip.body())).contains("withdrawn");
            assertThat(zip.headers().firstValue("Deprecation")).isPresent();
            HttpResponse<byte[]> list = get(base + "list", registry.readerToken);
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(new String(list.body())).doesNotContain("v1.4.0");
            // Readers see the rules and ask what they decide; changing them and reading the audit log is for
            // maintainers. The block is recorded with the reader's name.
            assertThat(api.get(filters, registry.readerToken).json().getJsonArray("rules")).hasSize(1);
            assertThat(api.post(filters + "/explain", registry.readerToken, new JsonObject()
                    .put("module", TOOLS.path()).put("version", "v1.4.0")).json().getBoolean("allowed")).isFalse();
            assertThat(api.put(filters, registry.readerToken, new JsonObject()).status()).isEqualTo(403);
            assertThat(api.get("/api/v1/groups/acme/audit-events", registry.readerToken).status()).isEqualTo(403);
            registry.vreg.policies().flush().toCompletionStage().toCompletableFuture().get(10,
                    java.util.concurrent.TimeUnit.SECONDS);
            JsonArray events = api.get("/api/v1/groups/acme/audit-events", ADMIN).json().getJsonArray("events");
            assertThat(events.stream().map(JsonObject.class::cast)).anySatisfy(e -> {
                assertThat(e.getString("actor")).startsWith(PrivateGoRegistry.READER + " from ");
                assertThat(e.getString("version")).isEqualTo("v1.4.0");
                assertThat(e.getString("registry")).isEqualTo("private");
            });
        } finally {
            assertThat(api.put(filters, ADMIN, new JsonObject()).status()).isEqualTo(200);
        }
    }

    @Test
    void refusalsCarryTheHeadersToo() throws Exception {
        HttpResponse<byte[]> anonymous = get("/api/v4/projects/1234/packages/go/gitlab.example.com/acme/tools/@v/list",
                null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Deprecation")).isPresent();
        HttpResponse<byte[]> unmapped = get("/api/v4/projects/999/packages/go/gitlab.example.com/acme/tools/@v/list",
                registry.readerToken);
        assertThat(unmapped.statusCode()).isEqualTo(404);
        assertThat(new String(unmapped.body())).contains("GitLab project 999 is not served by vreg");
        assertThat(unmapped.headers().firstValue("Sunset")).isPresent();
        HttpResponse<byte[]> notAProject = get("/api/v4/projects/a%20b/packages/go/x.example/m/@v/list",
                registry.readerToken);
        assertThat(notAProject.statusCode()).isEqualTo(404);
    }

    @Test
    void theGuideIsServedByVreg() throws Exception {
        HttpResponse<byte[]> guide = get("/docs/migration-from-go-proxy.md", null);
        assertThat(guide.statusCode()).isEqualTo(200);
        assertThat(guide.headers().firstValue("Content-Type")).hasValue("text/markdown; charset=utf-8");
        assertThat(new String(guide.body())).startsWith("# Migrating from GitLab's Go proxy");
    }

    @Test
    void theRealGoCommandBuildsThroughTheRouteAndItsCallerIsCounted() throws Exception {
        String goproxy = registry.httpsBase() + "/api/v4/projects/acme%2Ftools/packages/go";
        GoTool go = GoTool.builder(Files.createDirectories(temp.resolve("go"))).proxy(goproxy)
                .noSumDb("gitlab.example.com").env("SSL_CERT_FILE", registry.vreg.caFile().toString()).build();
        Files.writeString(go.home().resolve(".netrc"), "machine 127.0.0.1:" + registry.httpsPort() + " login "
                + PrivateGoRegistry.READER + " password " + registry.readerToken + "\n");
        Path consumer = GoConsumer.write(go.workDir(), TOOLS);
        go.run(consumer, "mod", "tidy").assertSuccess();
        go.run(consumer, "build", "./...").assertSuccess();
        assertThat(Files.readString(consumer.resolve("go.sum"))).contains(TOOLS.path() + " " + TOOLS.version());

        // Counts are written in batches, every downloadsFlushInterval (2 s).
        long requests = 0;
        for (Instant end = Instant.now().plus(Duration.ofSeconds(30)); requests < 3 && Instant.now().isBefore(end); ) {
            ApiClient.Answer callers = api.get(PROJECTS + "/callers", ADMIN);
            assertThat(callers.status()).isEqualTo(200);
            requests = callers.array().stream().map(JsonObject.class::cast)
                    .filter(c -> c.getString("caller").equals("user " + PrivateGoRegistry.READER))
                    .mapToLong(c -> c.getLong("requests")).sum();
            Thread.sleep(200);
        }
        assertThat(requests).isGreaterThanOrEqualTo(3);
    }

    @Test
    void mappingsAreValidatedAndAProjectIsServedByOneRegistry() {
        ApiClient.Answer invalid = api.put(PROJECTS, ADMIN,
                new JsonObject().put("projects", new JsonArray().add("1234").add("not a project").add("../x")));
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.body()).contains("projects[1]").contains("projects[2]").doesNotContain("projects[0]");
        ApiClient.Answer taken = api.put("/api/v1/groups/default/registries/main/gitlab-projects", ADMIN,
                new JsonObject().put("projects", new JsonArray().add("acme/tools")));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.body()).contains("project acme/tools is already served by registry acme/private");
        ApiClient.Answer reader = api.put(PROJECTS, registry.readerToken,
                new JsonObject().put("projects", new JsonArray()));
        assertThat(reader.status()).isEqualTo(403);
        assertThat(api.get(PROJECTS, ADMIN).json().getJsonArray("projects")).containsExactly("1234", "acme/tools");
    }
}
