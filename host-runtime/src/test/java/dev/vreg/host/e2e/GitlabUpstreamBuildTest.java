package dev.vreg.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.api.ApiClient;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.gitlab.GitLabStandIn;
import dev.vreg.testkit.gitlab.GitRepository;
import dev.vreg.testkit.go.GoSumLine;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.GoToolBuilder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry whose upstream is a GitLab instance (the stand-in, serving real git repositories through its API): the
 * real go command builds a consumer of a root module, a module in a subdirectory and a branch through vreg, and
 * go.sum says exactly what the go command's own direct fetch of the repositories says, also after the cache is
 * cleared and every zip is made again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(600)
class GitlabUpstreamBuildTest {

    static final String ADMIN = "vreg_gitlab-e2e-admin-token-0123456789abcdef";
    static final String TOKEN = "glpat-e2e-7c41d9a0b2";
    static final String HOST = GitLabStandIn.MODULE_HOST;

    @TempDir
    static Path temp;

    static GitLabStandIn gitlab;
    static VregServer vreg;
    static ApiClient api;
    static Path goCache;
    static long upstreamId;

    @BeforeAll
    static void start() throws Exception {
        gitlab = GitLabStandIn.start();
        GitRepository lib = GitRepository.init(temp.resolve("repos/lib"));
        lib.write("go.mod", "module " + HOST + "/platform/lib\n\ngo 1.21\n")
                .write("LICENSE", "MIT\n")
                .write("lib.go", "package lib\n\nfunc Greeting() string { return \"hello from lib\" }\n")
                .write("vendor/example.com/x/x.go", "package x\n");
        lib.commit("lib");
        lib.tag("v1.2.0");
        GitRepository mono = GitRepository.init(temp.resolve("repos/mono"));
        mono.write("LICENSE", "Apache\n")
                .write("tools/go.mod", "module " + HOST + "/platform/mono/tools\n\ngo 1.21\n")
                .write("tools/tools.go", "package tools\n\nfunc Name() string { return \"tools\" }\n");
        mono.commit("tools");
        mono.tag("tools/v0.4.0");
        mono.write("tools/tools.go", "package tools\n\nfunc Name() string { return \"tools, unreleased\" }\n");
        mono.commit("tools on main");
        gitlab.project("platform/lib", lib, false);
        gitlab.project("platform/mono", mono, false);
        gitlab.personalToken(TOKEN, Set.of("read_api"), "platform");

        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        VregConfig config = TestVreg.config(TestVreg.newDataDir(), List.of("http://127.0.0.1:9"));
        config.auth.adminToken = ADMIN;
        config.security.encryptionKey = Base64.getEncoder().encodeToString(key);
        vreg = TestVreg.start(config);
        api = new ApiClient(vreg.baseUrl());
        goCache = Files.createDirectories(temp.resolve("gocache"));
    }

    @AfterAll
    static void stop() {
        if (vreg != null) {
            vreg.close();
        }
        if (gitlab != null) {
            gitlab.close();
        }
    }

    static JsonObject expect(ApiClient.Answer answer, int status) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        return answer.body().startsWith("{") ? answer.json() : new JsonObject();
    }

    @Test
    @Order(1)
    void theGitlabKindIsListedAndAnUpstreamOfItConnects() {
        JsonArray kinds = new JsonArray(api.get("/api/v1/upstream-kinds", ADMIN).body());
        JsonObject gitlabKind = kinds.stream().map(JsonObject.class::cast)
                .filter(k -> "gitlab".equals(k.getString("kind"))).findFirst().orElseThrow();
        assertThat(gitlabKind.toString()).contains("modulePaths", "probeProject");

        expect(api.post("/api/v1/groups", ADMIN, new JsonObject().put("name", "acme")), 201);
        expect(api.post("/api/v1/groups/acme/registries", ADMIN, new JsonObject().put("name", "go")
                .put("format", "go").put("public", true)), 201);
        JsonObject settings = new JsonObject()
                .put("modulePaths", new JsonArray().add(new JsonObject().put("prefix", HOST).put("namespace", "")))
                .put("probeProject", "platform/lib");
        upstreamId = expect(api.post("/api/v1/groups/acme/upstreams", ADMIN, new JsonObject().put("kind", "gitlab")
                .put("url", gitlab.baseUrl().toString()).put("settings", settings)
                .put("moduleHints", new JsonArray().add(HOST + "/platform"))
                .put("credentials", new JsonObject().put("token", TOKEN))), 201).getLong("id");
        expect(api.post("/api/v1/groups/acme/registries/go/upstreams", ADMIN,
                new JsonObject().put("upstreamId", upstreamId)), 201);

        ApiClient.Answer tested = api.post("/api/v1/groups/acme/upstreams/" + upstreamId + "/test", ADMIN,
                new JsonObject());
        JsonObject report = expect(tested, 200);
        assertThat(report.getString("state")).as(report.encode()).isEqualTo("ok");
        assertThat(report.getString("message")).contains("platform/lib can be read");
        assertThat(tested.body()).doesNotContain(TOKEN);
    }

    @Test
    @Order(2)
    void goBuildsThroughVregWithTheHashesOfTheGoCommandsDirectFetch() throws Exception {
        Path app = consumer("app");
        GoTool throughVreg = viaVreg("first");
        throughVreg.run(app, "get", HOST + "/platform/lib@v1.2.0", HOST + "/platform/mono/tools@main")
                .assertSuccess();
        throughVreg.run(app, "mod", "tidy").assertSuccess();
        throughVreg.run(app, "build", "-o", temp.resolve("app.bin").toString(), ".").assertSuccess();
        assertThat(new ProcessBuilder(temp.resolve("app.bin").toString()).start().getInputStream().readAllBytes())
                .asString().isEqualTo("hello from lib / tools, unreleased\n");

        Path directApp = consumer("direct");
        GoTool direct = direct("direct");
        direct.run(directApp, "get", HOST + "/platform/lib@v1.2.0", HOST + "/platform/mono/tools@main")
                .assertSuccess();
        direct.run(directApp, "mod", "tidy").assertSuccess();

        List<GoSumLine> viaVreg = GoTool.readGoSum(app);
        assertThat(viaVreg).hasSize(4).containsExactlyInAnyOrderElementsOf(GoTool.readGoSum(directApp));
        assertThat(Files.readString(app.resolve("go.mod"))).isEqualTo(Files.readString(directApp.resolve("go.mod")));
        assertThat(Files.readString(app.resolve("go.mod"))).containsPattern("tools v0\\.4\\.1-0\\.\\d{14}-[0-9a-f]{12}");
        assertThat(gitlab.requestCount("/api/v4/projects/")).isPositive();
    }

    @Test
    @Order(3)
    void theZipsHashTheSameAfterTheCacheIsCleared() throws Exception {
        long archivesBefore = archives();
        expect(api.delete("/api/v1/groups/acme/registries/go/cache", ADMIN), 200);
        Path app = temp.resolve("app");
        GoTool again = viaVreg("again");
        again.run(app, "mod", "download", "-x", "all").assertSuccess();
        again.run(app, "mod", "verify").assertSuccess();
        assertThat(archives()).isGreaterThan(archivesBefore);
        // A fresh module cache reads go.sum's hashes from the app and verifies every zip vreg made anew against them.
        again.run(app, "build", "-o", temp.resolve("app2.bin").toString(), ".").assertSuccess();
    }

    static long archives() {
        return gitlab.requests().stream().filter(r -> r.contains("/repository/archive.zip")).count();
    }

    static Path consumer(String name) throws Exception {
        Path dir = Files.createDirectories(temp.resolve(name));
        Files.writeString(dir.resolve("go.mod"), "module consumer.test/app\n\ngo 1.21\n");
        Files.writeString(dir.resolve("main.go"), """
                package main

                import (
                	"fmt"

                	"%1$s/platform/lib"
                	"%1$s/platform/mono/tools"
                )

                func main() { fmt.Println(lib.Greeting() + " / " + tools.Name()) }
                """.formatted(HOST));
        return dir;
    }

    static GoTool viaVreg(String name) throws Exception {
        return GoTool.builder(Files.createDirectories(temp.resolve("go-" + name)))
                .proxy(vreg.baseUrl() + "/go/acme/go").goCache(goCache).build();
    }

    static GoTool direct(String name) throws Exception {
        Path gitConfig = gitlab.writeGitConfig(temp.resolve("gitconfig"));
        GoToolBuilder builder = GoTool.builder(Files.createDirectories(temp.resolve("go-" + name))).goCache(goCache);
        for (Map.Entry<String, String> e : gitlab.goEnvironment(gitConfig).entrySet()) {
            builder.env(e.getKey(), e.getValue());
        }
        return builder.build();
    }
}
