package dev.vreg.host.api;

import static dev.vreg.host.api.AdminApiFixture.ADMIN;
import static dev.vreg.host.api.AdminApiFixture.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.StaticGoProxy;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Emptying a registry's cache removes the entries of all its upstreams, so the next pull goes upstream again. */
class RegistryCacheTest {

    static final GoModule GAMMA = GoModule.builder("example.com/gamma", "v1.0.0").build();
    static final GoModule DELTA = GoModule.builder("example.com/delta", "v1.3.0").build();

    @TempDir
    static Path temp;

    static StaticGoProxy first;
    static StaticGoProxy second;
    static AdminApiFixture f;
    static long firstId;
    static long secondId;

    @BeforeAll
    static void start() throws Exception {
        first = StaticGoProxy.start(Files.createDirectories(temp.resolve("first")), GAMMA);
        second = StaticGoProxy.start(Files.createDirectories(temp.resolve("second")), DELTA);
        f = new AdminApiFixture(20, 20);
        f.group("acme");
        firstId = f.upstream("acme", first.baseUrl());
        secondId = f.upstream("acme", second.baseUrl());
        expect(f.api.post("/api/v1/groups/acme/registries", ADMIN, new JsonObject().put("name", "main")
                .put("format", "go").put("public", true)), 201);
        for (long id : List.of(firstId, secondId)) {
            expect(f.api.post("/api/v1/groups/acme/registries/main/upstreams", ADMIN,
                    new JsonObject().put("upstreamId", id)), 201);
        }
        f.registry("acme", "empty");
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
        for (StaticGoProxy proxy : new StaticGoProxy[] {first, second}) {
            if (proxy != null) {
                proxy.close();
            }
        }
    }

    static void pull(GoModule module) {
        for (String path : List.of(module.infoPath(), module.modPath(), module.zipPath())) {
            assertThat(f.api.get("/go/acme/main" + path, null).status()).isEqualTo(200);
        }
    }

    static int cached(long upstreamId) {
        return expect(f.api.get("/api/v1/groups/acme/upstreams/" + upstreamId + "/cache", ADMIN), 200)
                .getJsonArray("entries").size();
    }

    @Test
    void theCachesOfAllItsUpstreamsAreEmptiedAndTheNextPullGoesUpstream() {
        pull(GAMMA);
        pull(DELTA);
        int cachedBefore = cached(firstId) + cached(secondId);
        assertThat(cached(firstId)).isPositive();
        assertThat(cached(secondId)).isPositive();
        int gammaZips = first.requestCount(GAMMA.zipPath());
        int deltaZips = second.requestCount(DELTA.zipPath());

        JsonObject purged = expect(f.api.delete("/api/v1/groups/acme/registries/main/cache", ADMIN), 200);
        assertThat(purged.getInteger("deleted")).isEqualTo(cachedBefore);
        assertThat(cached(firstId)).isZero();
        assertThat(cached(secondId)).isZero();

        pull(GAMMA);
        pull(DELTA);
        assertThat(first.requestCount(GAMMA.zipPath())).isEqualTo(gammaZips + 1);
        assertThat(second.requestCount(DELTA.zipPath())).isEqualTo(deltaZips + 1);
    }

    @Test
    void aRegistryWithoutUpstreamsRemovesNothingAndAMissingOneIsNotFound() {
        assertThat(expect(f.api.delete("/api/v1/groups/acme/registries/empty/cache", ADMIN), 200)
                .getInteger("deleted")).isZero();
        assertThat(f.api.delete("/api/v1/groups/acme/registries/nothing/cache", ADMIN).status()).isEqualTo(404);
    }

    @Test
    void onlyMaintainersEmptyIt() {
        String reader = f.member("rose", "acme", "reader", "read", "write");
        assertThat(f.api.delete("/api/v1/groups/acme/registries/main/cache", reader).status()).isEqualTo(403);
        f.group("elsewhere");
        String outsider = f.member("olaf", "elsewhere", "owner", "read", "write");
        assertThat(f.api.delete("/api/v1/groups/acme/registries/main/cache", outsider).status()).isEqualTo(404);
    }
}
