package dev.vreg.host.admin;

import static dev.vreg.host.admin.AdminApiFixture.ADMIN;
import static dev.vreg.host.admin.AdminApiFixture.expect;
import static org.assertj.core.api.Assertions.assertThat;

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
        JsonObject all = expect(f.api.get(cache("?prefix=example.com/alpha/"), ADMIN), 200);
        assertThat(paths(all)).containsExactlyInAnyOrder(ALPHA.infoPath().substring(1), ALPHA.modPath().substring(1),
                ALPHA.zipPath().substring(1));
        JsonObject zip = all.getJsonArray("entries").stream().map(JsonObject.class::cast)
                .filter(e -> e.getString("path").endsWith(".zip")).findFirst().orElseThrow();
        assertThat(zip.getString("kind")).isEqualTo("CONTENT");
        assertThat(zip.getLong("size")).isPositive();

        JsonObject first = expect(f.api.get(cache("?prefix=example.com/alpha/&limit=2"), ADMIN), 200);
        assertThat(first.getJsonArray("entries")).hasSize(2);
        JsonObject second = expect(f.api.get(cache("?prefix=example.com/alpha/&limit=2&after="
                + first.getLong("next")), ADMIN), 200);
        assertThat(second.getJsonArray("entries")).hasSize(1);
        assertThat(second.getValue("next")).isNull();

        expect(f.api.delete(cache("/" + zip.getLong("id")), ADMIN), 204);
        assertThat(paths(expect(f.api.get(cache("?prefix=example.com/alpha/"), ADMIN), 200))).hasSize(2);
        assertThat(f.api.delete(cache("/" + zip.getLong("id")), ADMIN).status()).isEqualTo(404);
        assertThat(f.api.get(cache("?limit=0"), ADMIN).status()).isEqualTo(422);
    }

    @Test
    void aPrefixPurgeRemovesOnlyMatchingEntriesAndTheNextRequestFetchesAgain() {
        int before = upstream.requestCount(BETA.zipPath());
        JsonObject purged = expect(f.api.delete(cache("?prefix=example.com/beta/"), ADMIN), 200);
        assertThat(purged.getInteger("deleted")).isGreaterThanOrEqualTo(3);
        assertThat(paths(expect(f.api.get(cache("?prefix=example.com/beta/"), ADMIN), 200))).isEmpty();
        assertThat(f.api.get("/go/acme/main" + BETA.zipPath(), null).status()).isEqualTo(200);
        assertThat(upstream.requestCount(BETA.zipPath())).isEqualTo(before + 1);
    }

    @Test
    void aConnectionTestIsAnsweredAndKeptAsTheUpstreamsStatus() {
        JsonObject ok = expect(f.api.post("/api/v1/groups/acme/upstreams/" + upstreamId + "/test-connection",
                ADMIN, null), 200);
        assertThat(ok.getString("state")).isEqualTo("ok");
        assertThat(ok.getBoolean("reachable")).isTrue();
        assertThat(expect(f.api.get("/api/v1/groups/acme/upstreams/" + upstreamId, ADMIN), 200)
                .getJsonObject("status").getString("state")).isEqualTo("ok");

        long closed = f.upstream("acme", "http://127.0.0.1:9/nothing");
        JsonObject failed = expect(f.api.post("/api/v1/groups/acme/upstreams/" + closed + "/test-connection",
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
        assertThat(f.api.post("/api/v1/groups/acme/upstreams/" + upstreamId + "/test-connection", reader, null)
                .status()).isEqualTo(403);
    }
}
