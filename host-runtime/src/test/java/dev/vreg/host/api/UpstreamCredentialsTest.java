package dev.vreg.host.api;

import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoProxyTree;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import static dev.vreg.host.api.AdminApiFixture.ADMIN;
import static dev.vreg.host.api.AdminApiFixture.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.api.ApiClient.Answer;
import dev.vreg.host.secrets.CredentialCipher;
import dev.vreg.host.support.LogCapture;
import dev.vreg.spi.Credentials;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Upstream credentials: stored encrypted, never returned or logged, and part of what makes an upstream a duplicate. */
class UpstreamCredentialsTest {

    static final String SECRET = "upstream-s3cret-password";
    static String key;
    static AdminApiFixture f;
    static LogCapture logs;

    @BeforeAll
    static void start() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        key = Base64.getEncoder().encodeToString(bytes);
        logs = LogCapture.attach();
        f = new AdminApiFixture(20, 20, key);
        f.group("acme");
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
        if (logs != null) {
            logs.close();
        }
    }

    static Answer create(String url, JsonObject credentials) {
        JsonObject body = new JsonObject().put("kind", "goproxy").put("url", url);
        if (credentials != null) {
            body.put("credentials", credentials);
        }
        return f.api.post("/api/v1/groups/acme/upstreams", ADMIN, body);
    }

    static JsonObject basic(String password) {
        return new JsonObject().put("username", "deploy").put("password", password);
    }

    @Test
    void credentialsAreStoredEncryptedAndOnlyTheirPresenceIsShown() throws Exception {
        Answer created = create("https://private.example/a", basic(SECRET));
        JsonObject upstream = expect(created, 201);
        assertThat(upstream.getBoolean("credentialsSet")).isTrue();
        assertThat(created.body()).doesNotContain(SECRET);
        assertThat(f.api.get("/api/v1/groups/acme/upstreams", ADMIN).body()).doesNotContain(SECRET);

        Row row = f.vreg.pool().preparedQuery("SELECT credentials FROM upstreams WHERE id = $1")
                .execute(Tuple.of(upstream.getLong("id"))).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS).iterator().next();
        byte[] stored = row.getBuffer("credentials").getBytes();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
        assertThat(CredentialCipher.fromConfig(key, null).orElseThrow().decrypt(stored))
                .isEqualTo(Credentials.basic("deploy", SECRET));
        assertThat(logs.lines()).noneMatch(line -> line.contains(SECRET));
    }

    @Test
    void theSameUrlIsADuplicateOnlyWithTheSameCredentials() {
        long first = expect(create("https://private.example/b", basic("one")), 201).getLong("id");
        Answer again = create("https://private.example/b", basic("one"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().getString("detail")).contains("upstream " + first);
        expect(create("https://private.example/b", basic("two")), 201);
        long bare = expect(create("https://private.example/b", null), 201).getLong("id");

        Answer cleared = f.api.patch("/api/v1/groups/acme/upstreams/" + first, ADMIN,
                new JsonObject().putNull("credentials"));
        assertThat(cleared.status()).isEqualTo(409);
        assertThat(cleared.json().getString("detail")).contains("upstream " + bare);
        JsonObject token = expect(f.api.patch("/api/v1/groups/acme/upstreams/" + first, ADMIN,
                new JsonObject().put("credentials", new JsonObject().put("token", "tok"))), 200);
        assertThat(token.getBoolean("credentialsSet")).isTrue();
    }

    @Test
    void aPrivateUpstreamIsAskedWithItsStoredCredentials(@TempDir Path tree) throws Exception {
        GoModule module = GoModule.builder("example.com/secret", "v1.0.0").build();
        GoProxyTree.publish(tree, module);
        String expected = "Basic " + Base64.getEncoder().encodeToString(
                ("deploy:" + SECRET).getBytes(StandardCharsets.UTF_8));
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer upstream = vertx.createHttpServer().requestHandler(request -> {
                if (!expected.equals(request.getHeader("Authorization"))) {
                    request.response().setStatusCode(401).end();
                    return;
                }
                Path file = tree.resolve(request.path().substring(1));
                if (Files.isRegularFile(file)) {
                    request.response().sendFile(file.toString());
                } else {
                    request.response().setStatusCode(404).end();
                }
            }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            long id = expect(create("http://127.0.0.1:" + upstream.actualPort(), basic(SECRET)), 201).getLong("id");
            expect(f.api.post("/api/v1/groups/acme/registries", ADMIN,
                    new JsonObject().put("name", "privsrc").put("format", "go").put("public", true)), 201);
            expect(f.api.post("/api/v1/groups/acme/registries/privsrc/upstreams", ADMIN,
                    new JsonObject().put("upstreamId", id)), 201);

            HttpResponse<byte[]> zip = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                            f.vreg.baseUrl() + "/go/acme/privsrc" + module.zipPath())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(zip.statusCode()).isEqualTo(200);
            assertThat(zip.body()).isEqualTo(Files.readAllBytes(tree.resolve(module.zipPath().substring(1))));
            assertThat(logs.lines()).noneMatch(line -> line.contains(SECRET));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void malformedCredentialsAreNamed() {
        Answer answer = create("https://private.example/c", new JsonObject().put("username", "only"));
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("credentials");
    }
}
