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

/**
 * Module hints through the admin API: the Go format checks each one (a malformed glob is a 422 naming it, and
 * nothing is stored), and the stored hints decide with GOPRIVATE semantics which modules the upstream is asked for.
 */
class UpstreamHintsTest {

    static final GoModule PRIVATE = GoModule.builder("example.com/private/lib", "v1.0.0").build();
    static final GoModule OUTSIDE = GoModule.builder("example.com/public", "v1.0.0").build();

    @TempDir
    static Path temp;

    static StaticGoProxy proxy;
    static AdminApiFixture f;
    static long upstreamId;

    @BeforeAll
    static void start() throws Exception {
        proxy = StaticGoProxy.start(Files.createDirectories(temp.resolve("proxy")), PRIVATE, OUTSIDE);
        f = new AdminApiFixture(20, 20);
        f.group("acme");
        upstreamId = expect(f.api.post("/api/v1/groups/acme/upstreams", ADMIN, new JsonObject()
                .put("kind", "goproxy").put("url", proxy.baseUrl())
                .put("moduleHints", new JsonArray().add("example.com/priv[a-z]te"))), 201).getLong("id");
        expect(f.api.post("/api/v1/groups/acme/registries", ADMIN, new JsonObject().put("name", "main")
                .put("format", "go").put("public", true)), 201);
        expect(f.api.post("/api/v1/groups/acme/registries/main/upstreams", ADMIN,
                new JsonObject().put("upstreamId", upstreamId)), 201);
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void aMalformedHintIsRefusedOnCreationNamingIt() {
        Answer refused = f.api.post("/api/v1/groups/acme/upstreams", ADMIN, new JsonObject()
                .put("kind", "goproxy").put("url", "https://proxy.example/hinted")
                .put("moduleHints", new JsonArray().add("example.com/ok").add("example.com/[")));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.contentType()).isEqualTo("application/problem+json");
        JsonArray errors = refused.json().getJsonArray("errors");
        assertThat(errors).hasSize(1);
        assertThat(errors.getJsonObject(0).getString("field")).isEqualTo("moduleHints[1]");
        assertThat(errors.getJsonObject(0).getString("message")).contains("\"example.com/[\"", "malformed");
        assertThat(f.api.get("/api/v1/groups/acme/upstreams", ADMIN).array().stream()
                .map(u -> ((JsonObject) u).getString("url"))).doesNotContain("https://proxy.example/hinted");
    }

    @Test
    void aMalformedHintIsRefusedOnChangeAndTheRegistryKeepsServing() {
        Answer refused = f.api.patch("/api/v1/groups/acme/upstreams/" + upstreamId, ADMIN,
                new JsonObject().put("moduleHints", new JsonArray().add("example.com/[")));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.contentType()).isEqualTo("application/problem+json");
        assertThat(refused.json().getJsonArray("errors").getJsonObject(0).getString("field"))
                .isEqualTo("moduleHints[0]");
        assertThat(expect(f.api.get("/api/v1/groups/acme/upstreams/" + upstreamId, ADMIN), 200)
                .getJsonArray("moduleHints")).containsExactly("example.com/priv[a-z]te");

        for (String path : List.of(PRIVATE.infoPath(), PRIVATE.modPath(), PRIVATE.zipPath())) {
            assertThat(f.api.get("/go/acme/main" + path, null).status()).as(path).isEqualTo(200);
        }
    }

    @Test
    void storedHintsAreGoprivatePatterns() {
        assertThat(f.api.get("/go/acme/main" + PRIVATE.listPath(), null).status()).isEqualTo(200);
        assertThat(f.api.get("/go/acme/main" + OUTSIDE.infoPath(), null).status()).isEqualTo(404);
        assertThat(proxy.requestedPaths()).noneMatch(p -> p.startsWith("/example.com/public/"));
    }
}
