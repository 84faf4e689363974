package dev.vreg.host.api;

import static dev.vreg.host.api.AdminApiFixture.ADMIN;
import static dev.vreg.host.api.AdminApiFixture.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.api.ApiClient.Answer;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.StaticGoProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listing and removing what an upstream's cache holds; connection tests kept as the upstream's status. */
class CacheAndConnectionTest {

    static final GoModule ALPHA = GoModule.builder("example.com/alpha", "v1.2.0").build();
    static final GoModule BETA = GoModule.builder("example.com/beta", "v0.1.0").build();

    @TempDir
    static Path temp;

    static StaticGoProxy upstream;
    static AdminApiFixture f;
    static long upstreamId;

    @BeforeAll
    static void start() throws Exception {
        upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("upstream")), ALPHA, BETA);
        f = new AdminApiFixture(20, 20);
        f.group("acme");
        upstreamId = f.upstream("acme", upstream.baseUrl());
        expect(f.api.post("/api/v1/groups/acme/registries", ADMIN, new JsonObject().put("name", "main")
                .put("format", "go").put("public", true)), 201);
        expect(f.api.post("/api/v1/groups/acme/registries/main/upstreams", ADMIN,
                new JsonObject().put("upstreamId", upstreamId)), 201);
        for (GoModule module : List.of(ALPHA, BETA)) {
            for (String path : List.of(module.infoPath(), module.modPath(), module.zipPath())) {
                assertThat(f.api.get("/go/acme/main" + path, null).status()).isEqualTo(200);
            }
        }
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    static String cache(String rest) {
        return "/api/v1/groups/acme/upstreams/" + upstreamId + "/cache" + rest;
    }

    static List<String> paths(JsonObject page) {
        return page.getJsonArray("entries").stream().map(e -> ((JsonObject) e).getString("path")).toList();
    }

    @Test
    void theCacheIsListedPageByPageAndEntriesCanBeRemoved() {
        JsonObject all = expect(f.api.get(cache("?search=example.com/alpha"), ADMIN), 200);
        assertThat(paths(all)).containsExactlyInAnyOrder(ALPHA.infoPath().substring(1), ALPHA.modPath().substring(1),
                ALPHA.zipPath().substring(1));
        assertThat(all.getLong("total")).isEqualTo(3);
        JsonObject zip = all.getJsonArray("entries").stream().map(JsonObject.class::cast)
                .filter(e -> e.getString("path").endsWith(".zip")).findFirst().orElseThrow();
        assertThat(zip.getString("kind")).isEqualTo("CONTENT");
        assertThat(zip.getString("name")).isEqualTo("example.com/alpha");
        assertThat(zip.getString("version")).isEqualTo("v1.2.0");
        assertThat(zip.getString("file")).isEqualTo("v1.2.0.zip");
        assertThat(zip.getLong("upstreamId")).isEqualTo(upstreamId);
        assertThat(zip.getJsonObject("attributes").getString("h1")).isEqualTo(ALPHA.zipHash());
        assertThat(zip.getLong("size")).isPositive();
        assertThat(zip.getString("createdAt")).isNotBlank();
        assertThat(zip.getString("checkedAt")).isNotBlank();
        assertThat(zip.getLong("downloadsCount")).isBetween(0L, 1L);

        Answer first = f.api.get(cache("?search=example.com/alpha&perPage=2"), ADMIN);
        assertThat(first.json().getJsonArray("entries")).hasSize(2);
        assertThat(first.json().getInteger("totalPages")).isEqualTo(2);
        assertThat(first.header("X-Total")).isEqualTo("3");
        assertThat(first.header("X-Total-Pages")).isEqualTo("2");
        assertThat(first.header("X-Next-Page")).isEqualTo("2");
        Answer second = f.api.get(cache("?search=example.com/alpha&perPage=2&page=2"), ADMIN);
        assertThat(second.json().getJsonArray("entries")).hasSize(1);
        assertThat(second.header("X-Page")).isEqualTo("2");
        assertThat(second.header("X-Next-Page")).isNull();
        assertThat(paths(first.json())).doesNotContainAnyElementsOf(paths(second.json()));
        assertThat(expect(f.api.get(cache("?search=example.com/alpha&page=3"), ADMIN), 200)
                .getJsonArray("entries")).isEmpty();

        assertThat(paths(expect(f.api.get(cache("?version=v0.1"), ADMIN), 200)))
                .allMatch(p -> p.startsWith("example.com/beta/@v/v0.1.0."));
        assertThat(expect(f.api.get(cache("?search=example.com/alpha&version=v0"), ADMIN), 200)
                .getLong("total")).isZero();
        // Searches are literal: LIKE wildcards, '+' (as in +incompatible), quotes, backslashes and numbers.
        for (String literal : List.of("example.com/%25", "example.com/_lpha", "v1.2.0%2Bincompatible", "1.5",
                "a%22b", "a%5Cb")) {
            assertThat(expect(f.api.get(cache("?search=" + literal), ADMIN), 200).getLong("total")).as(literal)
                    .isZero();
            assertThat(expect(f.api.get(cache("?version=" + literal), ADMIN), 200).getLong("total")).as(literal)
                    .isZero();
        }

        expect(f.api.delete(cache("/" + zip.getLong("id")), ADMIN), 204);
        assertThat(paths(expect(f.api.get(cache("?search=example.com/alpha"), ADMIN), 200))).hasSize(2);
        assertThat(f.api.delete(cache("/" + zip.getLong("id")), ADMIN).status()).isEqualTo(404);
    }

    @Test
    void downloadsAreCountedAndWhenTheLastOneWas() throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            assertThat(f.api.get("/go/acme/main" + ALPHA.modPath(), null).status()).isEqualTo(200);
        }
        assertThat(f.api.head("/go/acme/main" + ALPHA.modPath(), null).status()).isEqualTo(200);
        // Counts are written in batches every two seconds.
        JsonObject mod = null;
        for (long deadline = System.nanoTime() + 15_000_000_000L; System.nanoTime() < deadline; Thread.sleep(200)) {
            mod = expect(f.api.get(cache("?search=example.com/alpha&version=v1.2.0"), ADMIN), 200)
                    .getJsonArray("entries").stream().map(JsonObject.class::cast)
                    .filter(e -> e.getString("file").equals("v1.2.0.mod")).findFirst().orElseThrow();
            if (mod.getLong("downloadsCount") >= 3) {
                break;
            }
        }
        assertThat(mod.getLong("downloadsCount")).as("the first fetch and two hits; HEAD is not a download")
                .isEqualTo(3);
        assertThat(mod.getString("lastDownloadedAt")).isNotNull();
    }

    @Test
    void pagingParametersAreChecked() {
        for (String bad : List.of("?perPage=0", "?perPage=101", "?page=0", "?page=x")) {
            Answer answer = f.api.get(cache(bad), ADMIN);
            assertThat(answer.status()).as(bad).isEqualTo(400);
            assertThat(answer.contentType()).isEqualTo("application/problem+json");
            String parameter = bad.substring(1, bad.indexOf('='));
            assertThat(answer.json().getString("detail")).contains("query parameter " + parameter);
            assertThat(answer.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo(parameter);
        }
        assertThat(f.api.get(cache("?page=x"), ADMIN).json().getString("detail"))
                .isEqualTo("the query parameter page must be of type integer");
        assertThat(f.api.get("/api/v1/groups/acme/upstreams/abc/cache", ADMIN).status()).isEqualTo(400);
    }

    @Test
    void aPrefixPurgeRemovesOnlyMatchingEntriesAndTheNextRequestFetchesAgain() {
        int before = upstream.requestCount(BETA.zipPath());
        JsonObject purged = expect(f.api.delete(cache("?prefix=example.com/beta/"), ADMIN), 200);
        assertThat(purged.getInteger("deleted")).isGreaterThanOrEqualTo(3);
        assertThat(paths(expect(f.api.get(cache("?search=example.com/beta"), ADMIN), 200))).isEmpty();
        assertThat(f.api.get("/go/acme/main" + BETA.zipPath(), null).status()).isEqualTo(200);
        assertThat(upstream.requestCount(BETA.zipPath())).isEqualTo(before + 1);
    }

    @Test
    void aConnectionTestIsAnsweredAndKeptAsTheUpstreamsStatus() {
        JsonObject ok = expect(f.api.post("/api/v1/groups/acme/upstreams/" + upstreamId + "/test",
                ADMIN, null), 200);
        assertThat(ok.getString("state")).isEqualTo("ok");
        assertThat(ok.getBoolean("reachable")).isTrue();
        assertThat(expect(f.api.get("/api/v1/groups/acme/upstreams/" + upstreamId, ADMIN), 200)
                .getJsonObject("status").getString("state")).isEqualTo("ok");

        long closed = f.upstream("acme", "http://127.0.0.1:9/nothing");
        JsonObject failed = expect(f.api.post("/api/v1/groups/acme/upstreams/" + closed + "/test",
                ADMIN, null), 200);
        assertThat(failed.getString("state")).isEqualTo("failed");
        assertThat(failed.getBoolean("reachable")).isFalse();
        assertThat(failed.getString("message")).isNotBlank();
        JsonArray listed = f.api.get("/api/v1/groups/acme/upstreams", ADMIN).array();
        assertThat(listed.stream().map(JsonObject.class::cast).filter(u -> u.getLong("id") == closed)
                .findFirst().orElseThrow().getJsonObject("status").getString("state")).isEqualTo("failed");
    }

    @Test
    void readersSeeTheCacheButOnlyMaintainersChangeIt() {
        String reader = f.member("rita", "acme", "reader", "read", "write");
        assertThat(f.api.get(cache(""), reader).status()).isEqualTo(200);
        assertThat(f.api.delete(cache(""), reader).status()).isEqualTo(403);
        assertThat(f.api.post("/api/v1/groups/acme/upstreams/" + upstreamId + "/test", reader, null)
                .status()).isEqualTo(403);
    }
}
