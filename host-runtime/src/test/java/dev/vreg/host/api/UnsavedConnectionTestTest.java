package dev.vreg.host.api;

import static dev.vreg.host.api.AdminApiFixture.ADMIN;
import static dev.vreg.host.api.AdminApiFixture.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.api.ApiClient.Answer;
import dev.vreg.host.support.LogCapture;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Trying an upstream configuration before saving it: checked like a create, answered as a report, never stored. */
class UnsavedConnectionTestTest {

    static final String TEST = "/api/v1/groups/acme/upstreams/test";
    static final String SECRET = "unsaved-s3cret-password";

    static Vertx vertx;
    static HttpServer guarded;
    static AdminApiFixture f;
    static LogCapture logs;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        String expected = ApiClient.basic("probe", SECRET);
        // A GOPROXY stand-in: 401 without the right Basic credentials, the 404 of an unknown module with them.
        guarded = vertx.createHttpServer().requestHandler(request -> request.response()
                        .setStatusCode(expected.equals(request.getHeader("Authorization")) ? 404 : 401).end())
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        logs = LogCapture.attach();
        f = new AdminApiFixture(20, 20);
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
        if (vertx != null) {
            vertx.close();
        }
    }

    static JsonObject body(String url, String password) {
        JsonObject body = new JsonObject().put("kind", "goproxy").put("url", url);
        return password == null ? body
                : body.put("credentials", new JsonObject().put("username", "probe").put("password", password));
    }

    static String guardedUrl() {
        return "http://127.0.0.1:" + guarded.actualPort();
    }

    @Test
    void anUnreachableUrlIsReportedAsNotReachable() {
        JsonObject report = expect(f.api.post(TEST, ADMIN, body("http://127.0.0.1:9/nothing", null)), 200);
        assertThat(report.getBoolean("reachable")).isFalse();
        assertThat(report.getBoolean("authenticated")).isFalse();
        assertThat(report.getString("state")).isEqualTo("failed");
        assertThat(report.getString("message")).contains("127.0.0.1:9");
    }

    @Test
    void basicCredentialsAreTriedWithoutBeingStoredOrEchoed() {
        JsonArray before = f.api.get("/api/v1/groups/acme/upstreams", ADMIN).array();

        Answer wrong = f.api.post(TEST, ADMIN, body(guardedUrl(), "not-the-password"));
        JsonObject refused = expect(wrong, 200);
        assertThat(refused.getBoolean("reachable")).isTrue();
        assertThat(refused.getBoolean("authenticated")).isFalse();
        assertThat(refused.getString("message")).contains("refused the configured credentials");
        assertThat(wrong.body()).doesNotContain("not-the-password");

        Answer right = f.api.post(TEST, ADMIN, body(guardedUrl(), SECRET));
        JsonObject accepted = expect(right, 200);
        assertThat(accepted.getBoolean("reachable")).isTrue();
        assertThat(accepted.getBoolean("authenticated")).isTrue();
        assertThat(accepted.getBoolean("tls")).isFalse();
        assertThat(accepted.getLong("latencyMillis")).isNotNegative();
        assertThat(right.body()).doesNotContain(SECRET);

        assertThat(f.api.get("/api/v1/groups/acme/upstreams", ADMIN).array()).isEqualTo(before);
        assertThat(logs.lines()).noneMatch(line -> line.contains(SECRET) || line.contains("not-the-password"));
    }

    @Test
    void theBodyIsCheckedAsForACreate() {
        Answer missing = f.api.post(TEST, ADMIN, new JsonObject().put("kind", "nexus"));
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.json().getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
                .contains("kind", "url");
        Answer badCredentials = f.api.post(TEST, ADMIN, body(guardedUrl(), null)
                .put("credentials", new JsonObject().put("password", SECRET)));
        assertThat(badCredentials.status()).isEqualTo(422);
        assertThat(badCredentials.body()).doesNotContain(SECRET);
    }

    @Test
    void readersAreRefusedAndOutsidersSeeNoGroup() {
        String reader = f.member("rhea", "acme", "reader", "read", "write");
        assertThat(f.api.post(TEST, reader, body(guardedUrl(), null)).status()).isEqualTo(403);
        f.group("other");
        String outsider = f.member("otto", "other", "owner", "read", "write");
        assertThat(f.api.post(TEST, outsider, body(guardedUrl(), null)).status()).isEqualTo(404);
    }
}
