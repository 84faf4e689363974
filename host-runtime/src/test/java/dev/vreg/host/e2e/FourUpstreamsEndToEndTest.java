package dev.vreg.host.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import dev.vreg.host.VregServer;
import dev.vreg.host.api.ApiClient;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.gitlab.GitLabStandIn;
import dev.vreg.testkit.gitlab.GitRepository;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.GoToolBuilder;
import dev.vreg.testkit.go.GoproxyFixture;
import dev.vreg.testkit.go.ModDownload;
import dev.vreg.testkit.go.StaticGoProxy;
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
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One Go registry with four upstreams in priority order: a GitLab project (the stand-in, serving a real git
 * repository), Artifactory (WireMock with the shapes of its documented Go API), Athens (the GOPROXY fixture answering
 * Athens' endpoints too) and a public proxy (a static GOPROXY tree). The real go command builds a consumer that needs
 * a module from each; the zip vreg builds from GitLab hashes the same on every request, after the registry's cache
 * is cleared, and as the go command's own direct fetch of the git repository.
 */
@Timeout(300)
class FourUpstreamsEndToEndTest {

    static final String ADMIN = "vreg_four-upstreams-admin-token-0123456789";
    static final String TOKEN = "glpat-four-upstreams-5d2e";
    static final String HOST = GitLabStandIn.MODULE_HOST;
    static final String GITLAB_MODULE = HOST + "/platform/lib";
    static final String REPOSITORY = "go-virtual";

    static final GoModule ARTIFACTORY_MODULE = GoModule.builder("corp.example/artifactory/billing", "v1.4.0").build();
    static final GoModule ATHENS_MODULE = GoModule.builder("corp.example/athens/cache", "v0.9.2").build();
    static final GoModule PUBLIC_MODULE = GoModule.builder("github.com/public/strings", "v1.3.0")
            .build();

    @TempDir
    static Path temp;

    static GitLabStandIn gitlab;
    static WireMockServer artifactory;
    static GoproxyFixture athens;
    static StaticGoProxy publicProxy;
    static VregServer vreg;
    static ApiClient api;
    static Path goCache;

    @BeforeAll
    static void start() throws Exception {
        gitlab = GitLabStandIn.start();
        GitRepository lib = GitRepository.init(temp.resolve("repos/lib"));
        lib.write("go.mod", "module " + GITLAB_MODULE + "\n\ngo 1.21\n")
                .write("LICENSE", "MIT\n")
                .write("lib.go", "package lib\n\n// Version is the module's version.\n"
                        + "func Version() string { return \"lib v1.2.0\" }\n");
        lib.commit("lib");
        lib.tag("v1.2.0");
        gitlab.project("platform/lib", lib, false);
        gitlab.personalToken(TOKEN, Set.of("read_api"), "platform");

        artifactory = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
                .notifier(new Slf4jNotifier(false)));
        artifactory.start();
        playArtifactory(ARTIFACTORY_MODULE);

        athens = GoproxyFixture.start().publish(ATHENS_MODULE);
        athens.answer("healthz", new byte[0]);
        athens.answer("readyz", new byte[0]);

        publicProxy = StaticGoProxy.start(temp.resolve("public"), PUBLIC_MODULE);

        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        VregConfig config = TestVreg.config(TestVreg.newDataDir(), List.of("http://127.0.0.1:9"));
        config.auth.adminToken = ADMIN;
        config.security.encryptionKey = Base64.getEncoder().encodeToString(key);
        vreg = TestVreg.start(config);
        api = new ApiClient(vreg.baseUrl());
        goCache = Files.createDirectories(temp.resolve("gocache"));

        expect(api.post("/api/v1/groups", ADMIN, new JsonObject().put("name", "acme")), 201);
        expect(api.post("/api/v1/groups/acme/registries", ADMIN, new JsonObject().put("name", "go")
                .put("format", "go").put("public", true)), 201);
        attach(new JsonObject().put("kind", "gitlab").put("name", "gitlab").put("url", gitlab.baseUrl().toString())
                .put("settings", new JsonObject()
                        .put("modulePaths", new JsonArray().add(new JsonObject().put("prefix", HOST)
                                .put("namespace", "")))
                        .put("probeProject", "platform/lib"))
                .put("moduleHints", new JsonArray().add(HOST + "/platform"))
                .put("credentials", new JsonObject().put("token", TOKEN)));
        attach(new JsonObject().put("kind", "artifactory").put("name", "artifactory")
                .put("url", "http://127.0.0.1:" + artifactory.port())
                .put("settings", new JsonObject().put("repository", REPOSITORY)));
        attach(new JsonObject().put("kind", "athens").put("name", "athens").put("url", athens.baseUrl().toString()));
        attach(new JsonObject().put("kind", "goproxy").put("name", "public").put("url", publicProxy.baseUrl()));
    }

    /**
     * Artifactory's Go API of one repository under {@code /artifactory/api/go/<key>/}, its System Health Ping, its
     * repository configuration, and its JSON error body for everything else.
     */
    static void playArtifactory(GoModule module) throws Exception {
        String base = "/artifactory/api/go/" + REPOSITORY + "/";
        Path zip = temp.resolve("artifactory.zip");
        module.writeZip(zip);
        artifactory.stubFor(get(urlPathEqualTo("/artifactory/api/system/ping")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "text/plain").withBody("OK")));
        artifactory.stubFor(get(urlPathEqualTo("/artifactory/api/repositories/" + REPOSITORY)).willReturn(aResponse()
                .withStatus(200)
                .withHeader("Content-Type",
                        "application/vnd.org.jfrog.artifactory.repositories.VirtualRepositoryConfiguration+json")
                .withBody("{\"key\":\"" + REPOSITORY + "\",\"packageType\":\"go\",\"rclass\":\"virtual\"}")));
        artifactory.stubFor(get(urlPathEqualTo(base + module.listPath().replaceFirst("^/", ""))).willReturn(
                aResponse().withStatus(200).withHeader("Content-Type", "text/plain")
                        .withBody(module.version() + "\n")));
        artifactory.stubFor(get(urlPathEqualTo(base + module.infoPath().replaceFirst("^/", ""))).willReturn(
                aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(module.infoJson())));
        artifactory.stubFor(get(urlPathEqualTo(base + module.modPath().replaceFirst("^/", ""))).willReturn(
                aResponse().withStatus(200).withHeader("Content-Type", "text/plain").withBody(module.modBytes())));
        artifactory.stubFor(get(urlPathEqualTo(base + module.zipPath().replaceFirst("^/", ""))).willReturn(
                aResponse().withStatus(200).withHeader("Content-Type", "application/zip")
                        .withBody(Files.readAllBytes(zip))));
        artifactory.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\n  \"errors\" : [ {\n    \"status\" : 404,\n    \"message\" : \"Not Found\"\n  } ]\n}")));
    }

    @AfterAll
    static void stop() {
        if (vreg != null) {
            vreg.close();
        }
        if (publicProxy != null) {
            publicProxy.close();
        }
        if (athens != null) {
            athens.close();
        }
        if (artifactory != null) {
            artifactory.stop();
        }
        if (gitlab != null) {
            gitlab.close();
        }
    }

    static JsonObject expect(ApiClient.Answer answer, int status) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        return answer.body().startsWith("{") ? answer.json() : new JsonObject();
    }

    static void attach(JsonObject upstream) {
        long id = expect(api.post("/api/v1/groups/acme/upstreams", ADMIN, upstream), 201).getLong("id");
        expect(api.post("/api/v1/groups/acme/registries/go/upstreams", ADMIN,
                new JsonObject().put("upstreamId", id)), 201);
        JsonObject report = expect(api.post("/api/v1/groups/acme/upstreams/" + id + "/test", ADMIN,
                new JsonObject()), 200);
        assertThat(report.getString("state")).as(upstream.getString("kind") + ": " + report.encode())
                .isEqualTo("ok");
    }

    @Test
    void goBuildsAConsumerOfAllFourAndTheGitlabZipHashesAsTheDirectFetch() throws Exception {
        JsonArray order = expect(api.get("/api/v1/groups/acme/registries/go/upstreams", ADMIN), 200)
                .getJsonArray("upstreams");
        assertThat(order.stream().map(JsonObject.class::cast).map(u -> u.getString("name")))
                .containsExactly("gitlab", "artifactory", "athens", "public");

        Path app = Files.createDirectories(temp.resolve("app"));
        Files.writeString(app.resolve("go.mod"), "module consumer.test/app\n\ngo 1.21\n");
        Files.writeString(app.resolve("main.go"), """
                package main

                import (
                	"fmt"

                	billing "%s"
                	cache "%s"
                	strs "%s"
                	lib "%s"
                )

                func main() {
                	fmt.Println(lib.Version())
                	fmt.Println(billing.Version())
                	fmt.Println(cache.Version())
                	fmt.Println(strs.Version())
                }
                """.formatted(ARTIFACTORY_MODULE.path(), ATHENS_MODULE.path(), PUBLIC_MODULE.path(), GITLAB_MODULE));
        GoTool first = viaVreg("first");
        first.run(app, "get", GITLAB_MODULE + "@v1.2.0", ARTIFACTORY_MODULE.path() + "@" + ARTIFACTORY_MODULE.version(),
                ATHENS_MODULE.path() + "@" + ATHENS_MODULE.version(),
                PUBLIC_MODULE.path() + "@" + PUBLIC_MODULE.version()).assertSuccess();
        first.run(app, "mod", "tidy").assertSuccess();
        Path binary = temp.resolve("app.bin");
        first.run(app, "build", "-o", binary.toString(), ".").assertSuccess();
        List<String> printed = new String(new ProcessBuilder(binary.toString()).start().getInputStream()
                .readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(printed).hasSize(4).first().isEqualTo("lib v1.2.0");
        assertThat(printed.get(1)).contains(ARTIFACTORY_MODULE.path(), ARTIFACTORY_MODULE.version());
        assertThat(printed.get(2)).contains(ATHENS_MODULE.path(), ATHENS_MODULE.version());
        assertThat(printed.get(3)).contains(PUBLIC_MODULE.path(), PUBLIC_MODULE.version());

        // Each module's files came from its own upstream; an upstream after the one that had them was not asked
        // for them (version lists are asked of every upstream and merged).
        assertThat(gitlab.requestCount("/api/v4/projects/")).isPositive();
        assertThat(artifactory.getAllServeEvents().stream().map(e -> e.getRequest().getUrl()))
                .anyMatch(u -> u.endsWith(ARTIFACTORY_MODULE.zipPath().replaceFirst("^/", "")));
        assertThat(athens.requestCount(ATHENS_MODULE.zipPath())).isEqualTo(1);
        assertThat(publicProxy.requestCount(PUBLIC_MODULE.zipPath())).isEqualTo(1);
        String artifactoryFiles = ARTIFACTORY_MODULE.path() + "/@v/" + ARTIFACTORY_MODULE.version() + ".";
        String athensFiles = ATHENS_MODULE.path() + "/@v/" + ATHENS_MODULE.version() + ".";
        assertThat(athens.requestedPaths()).noneMatch(p -> p.contains(artifactoryFiles));
        assertThat(publicProxy.requestedPaths())
                .noneMatch(p -> p.contains(artifactoryFiles) || p.contains(athensFiles));
        String goSum = Files.readString(app.resolve("go.sum"));
        for (GoModule m : List.of(ARTIFACTORY_MODULE, ATHENS_MODULE, PUBLIC_MODULE)) {
            assertThat(goSum).contains(m.path() + " " + m.version() + " " + m.zipHash());
        }

        String zipUrl = vreg.baseUrl() + "/go/acme/go/" + GITLAB_MODULE + "/@v/v1.2.0.zip";
        String firstBytes = sha256(zipUrl);
        assertThat(sha256(zipUrl)).as("the same bytes on the next request").isEqualTo(firstBytes);
        String viaVreg = sumOf(first);
        assertThat(goSum).contains(GITLAB_MODULE + " v1.2.0 " + viaVreg);
        assertThat(sumOf(viaVreg("second"))).as("a fresh module cache through vreg").isEqualTo(viaVreg);

        long archives = gitlab.requests().stream().filter(r -> r.contains("/repository/archive.zip")).count();
        expect(api.delete("/api/v1/groups/acme/registries/go/cache", ADMIN), 200);
        assertThat(sumOf(viaVreg("after-clear"))).as("after the cache is cleared").isEqualTo(viaVreg);
        assertThat(gitlab.requests().stream().filter(r -> r.contains("/repository/archive.zip")).count())
                .as("the zip was made again from GitLab").isGreaterThan(archives);

        assertThat(sumOf(direct())).as("the go command's own fetch of the git repository").isEqualTo(viaVreg);
    }

    static String sumOf(GoTool go) {
        List<ModDownload> downloads = go.modDownloadJson(GITLAB_MODULE + "@v1.2.0");
        assertThat(downloads).hasSize(1);
        assertThat(downloads.get(0).error()).isNull();
        assertThat(downloads.get(0).sum()).startsWith("h1:");
        return downloads.get(0).sum();
    }

    static String sha256(String url) throws Exception {
        HttpResponse<byte[]> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(answer.body()));
    }

    static GoTool viaVreg(String name) throws Exception {
        return GoTool.builder(Files.createDirectories(temp.resolve("go-" + name)))
                .proxy(vreg.baseUrl() + "/go/acme/go").goCache(goCache).build();
    }

    static GoTool direct() throws Exception {
        Path gitConfig = gitlab.writeGitConfig(temp.resolve("gitconfig"));
        GoToolBuilder builder = GoTool.builder(Files.createDirectories(temp.resolve("go-direct"))).goCache(goCache);
        for (Map.Entry<String, String> e : gitlab.goEnvironment(gitConfig).entrySet()) {
            builder.env(e.getKey(), e.getValue());
        }
        return builder.build();
    }
}
