package dev.vreg.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.host.VregServer;
import dev.vreg.host.api.ApiClient;
import dev.vreg.host.api.ApiClient.Answer;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.db.postgres.EmbeddedPostgres;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.StaticGoProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several stateless nodes on one external PostgreSQL (here a PostgreSQL server the test runs itself): what one node
 * configures, the others serve at once; tokens and sessions work on every node and a revocation reaches them all.
 */
class SharedDatabaseNodesTest {

    static final String ADMIN = "vreg_nodes-admin-token-0123456789abcdefghijklmnop";
    static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    static final GoModule MODULE = GoModule.builder("example.com/shared", "v1.0.0").build();

    @TempDir
    Path temp;

    VregConfig node(String url, String encryptionKey) {
        VregConfig config = TestVreg.config(TestVreg.newDataDir(), List.of("http://127.0.0.1:9"));
        config.database.url = url;
        // Nodes share the blob store as well as the database (a shared volume here, S3 in production).
        config.storage.path = temp.resolve("blobs");
        config.auth.adminToken = ADMIN;
        config.security.encryptionKey = encryptionKey;
        return config;
    }

    @Test
    void nodesSharingADatabaseActAsOne() throws Exception {
        try (EmbeddedPostgres database = EmbeddedPostgres.start(TestVreg.newDataDir());
             StaticGoProxy upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("upstream")), MODULE)) {
            String url = "postgresql://" + database.user() + ":" + database.password() + "@" + database.host() + ":"
                    + database.port() + "/" + database.database();

            // Without a configured key a node on an external database stores no credentials (there is no key file
            // to fall back on: all nodes must share the key).
            try (VregServer keyless = TestVreg.start(node(url, null))) {
                Answer refused = new ApiClient(keyless.baseUrl()).post("/api/v1/groups/default/upstreams", ADMIN,
                        new JsonObject().put("kind", "goproxy").put("url", "https://private.example/x")
                                .put("credentials", new JsonObject().put("token", "upstream-secret-token")));
                assertThat(refused.status()).isEqualTo(422);
                assertThat(refused.body()).contains("security.encryptionKey").doesNotContain("upstream-secret-token");
            }

            try (VregServer a = TestVreg.start(node(url, KEY)); VregServer b = TestVreg.start(node(url, KEY))) {
                ApiClient onA = new ApiClient(a.baseUrl());
                ApiClient onB = new ApiClient(b.baseUrl());
                assertThat(onA.post("/api/v1/groups", ADMIN, new JsonObject().put("name", "acme")).status())
                        .isEqualTo(201);
                long upstreamId = onA.post("/api/v1/groups/acme/upstreams", ADMIN, new JsonObject()
                        .put("kind", "goproxy").put("url", upstream.baseUrl())).json().getLong("id");
                assertThat(onA.post("/api/v1/groups/acme/registries", ADMIN, new JsonObject().put("name", "main")
                        .put("format", "go").put("public", true)).status()).isEqualTo(201);
                assertThat(onA.post("/api/v1/groups/acme/registries/main/upstreams", ADMIN,
                        new JsonObject().put("upstreamId", upstreamId)).status()).isEqualTo(201);

                // Made on A, served by B, cached once for both.
                assertThat(eventually(() -> onB.get("/go/acme/main" + MODULE.infoPath(), null).status(), 200))
                        .isEqualTo(200);
                assertThat(onA.get("/go/acme/main" + MODULE.infoPath(), null).status()).isEqualTo(200);
                assertThat(upstream.requestCount(MODULE.infoPath())).isEqualTo(1);

                // A filter rule saved on A reaches B, which had already read the registry's (empty) rules.
                assertThat(onA.put("/api/v1/groups/acme/registries/main/filters", ADMIN, new JsonObject()
                        .put("rules", new JsonArray().add(new JsonObject().put("action", "deny")
                                .put("pattern", MODULE.path()).put("reason", "frozen")))).status()).isEqualTo(200);
                assertThat(eventually(() -> onB.get("/go/acme/main" + MODULE.infoPath(), null).status(), 403))
                        .isEqualTo(403);
                assertThat(onB.get("/go/acme/main" + MODULE.infoPath(), null).body()).contains("frozen");

                String token = onA.post("/api/v1/users/admin/tokens", ADMIN, new JsonObject().put("name", "n")
                        .put("scopes", new JsonArray().add("read"))).json().getString("token");
                String session = onA.post("/api/v1/sessions", token, null).json().getString("accessToken");
                assertThat(onB.get("/api/v1/user", token).status()).isEqualTo(200);
                assertThat(onB.get("/api/v1/user", session).status()).isEqualTo(200);

                // Signing out on B ends the session on A too, while the token it came from goes on working.
                String signedOut = onA.post("/api/v1/sessions", token, null).json().getString("accessToken");
                assertThat(onA.get("/api/v1/user", signedOut).status()).isEqualTo(200);
                assertThat(onB.delete("/api/v1/session", signedOut).status()).isEqualTo(204);
                assertThat(eventually(() -> onA.get("/api/v1/user", signedOut).status(), 401)).isEqualTo(401);
                assertThat(onA.get("/api/v1/user", session).status()).isEqualTo(200);

                long id = onB.get("/api/v1/users/admin/tokens", ADMIN).array().stream().map(JsonObject.class::cast)
                        .filter(t -> t.getString("name").equals("n")).findFirst().orElseThrow().getLong("id");
                assertThat(onB.delete("/api/v1/users/admin/tokens/" + id, ADMIN).status()).isEqualTo(204);
                assertThat(eventually(() -> onA.get("/api/v1/user", session).status(), 401)).isEqualTo(401);
                assertThat(onA.get("/api/v1/user", token).status()).isEqualTo(401);
            }

            // A node whose key cannot open what the others stored refuses to start, saying why.
            assertThatThrownBy(() -> TestVreg.start(node(url, null)).close())
                    .hasStackTraceContaining("security.encryptionKey");
        }
    }

    /** Asks {@code status} until it answers {@code wanted}, for up to 5 s; answers the last status. */
    static int eventually(Supplier<Integer> status, int wanted) throws InterruptedException {
        int last = status.get();
        for (long deadline = System.nanoTime() + 5_000_000_000L; last != wanted && System.nanoTime() < deadline;
             last = status.get()) {
            Thread.sleep(100);
        }
        return last;
    }
}
