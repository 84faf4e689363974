package dev.vreg.host.api;

import static dev.vreg.host.api.AdminApiFixture.ADMIN;
import static dev.vreg.host.api.AdminApiFixture.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.api.ApiClient.Answer;
import dev.vreg.host.support.LogCapture;
import dev.vreg.host.support.TestVreg;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Personal and deploy tokens: shown once, listed without their value, revoked at once; the admin's first token. */
class TokensTest {

    static AdminApiFixture f;
    static LogCapture logs;

    @BeforeAll
    static void start() {
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
    }

    @Test
    void aTokenIsShownOnceListedWithoutItsValueAndRevokedAtOnce() {
        f.member("tina", "acme", "reader", "read");
        JsonObject created = expect(f.api.post("/api/v1/users/tina/tokens", ADMIN, new JsonObject().put("name", "laptop")
                .put("scopes", new JsonArray().add("read").add("write")).put("expiresAt", "2999-01-01T00:00:00Z")), 201);
        String token = created.getString("token");
        assertThat(token).startsWith("vreg_").hasSizeGreaterThanOrEqualTo(48);
        assertThat(created.getJsonArray("scopes")).containsExactly("read", "write");
        assertThat(created.getString("expiresAt")).isEqualTo("2999-01-01T00:00:00Z");

        JsonObject me = expect(f.api.get("/api/v1/user", token), 200);
        assertThat(me.getString("username")).isEqualTo("tina");
        Answer listed = f.api.get("/api/v1/users/tina/tokens", token);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body()).doesNotContain(token);
        assertThat(listed.array().stream().map(t -> ((JsonObject) t).containsKey("token"))).containsOnly(false);

        expect(f.api.delete("/api/v1/users/tina/tokens/" + created.getLong("id"), token), 204);
        assertThat(f.api.get("/api/v1/user", token).status()).isEqualTo(401);
        assertThat(logs.lines()).noneMatch(line -> line.contains(token));
    }

    @Test
    void tokenRequestsAreChecked() {
        f.member("tom", null, null, "read");
        Answer answer = f.api.post("/api/v1/users/tom/tokens", ADMIN, new JsonObject()
                .put("scopes", new JsonArray().add("root")).put("expiresAt", "2000-01-01T00:00:00Z"));
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.json().getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
                .containsExactlyInAnyOrder("name", "scopes.0");
        Answer past = f.api.post("/api/v1/users/tom/tokens", ADMIN, new JsonObject().put("name", "ci")
                .put("scopes", new JsonArray().add("read")).put("expiresAt", "2000-01-01T00:00:00Z"));
        assertThat(past.status()).isEqualTo(422);
        assertThat(past.json().getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
                .containsExactly("expiresAt");
    }

    @Test
    void othersTokensAreNotVisible() {
        String mine = f.member("uma", "acme", "owner", "read", "write");
        f.member("ugo", "acme", "reader", "read");
        assertThat(f.api.get("/api/v1/users/ugo/tokens", mine).status()).isEqualTo(404);
        assertThat(f.api.post("/api/v1/users/ugo/tokens", mine, new JsonObject().put("name", "x")
                .put("scopes", new JsonArray().add("read"))).status()).isEqualTo(404);
    }

    @Test
    void deployTokensCanBeRevoked() {
        JsonObject created = expect(f.api.post("/api/v1/groups/acme/deploy-tokens", ADMIN,
                new JsonObject().put("name", "ci")), 201);
        assertThat(created.getString("kind")).isEqualTo("deploy");
        assertThat(created.getJsonArray("scopes")).containsExactly("read");
        expect(f.api.delete("/api/v1/groups/acme/deploy-tokens/" + created.getLong("id"), ADMIN), 204);
        assertThat(f.api.get("/api/v1/groups/acme/deploy-tokens", ADMIN).array()).isEmpty();
    }

    @Test
    void withoutAConfiguredTokenTheFirstStartPrintsOneOnceOnTheConsoleAndNotInTheLog() {
        PrintStream original = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        java.nio.file.Path dataDir = TestVreg.newDataDir();
        VregServer vreg;
        System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
        try {
            vreg = TestVreg.start(TestVreg.config(dataDir, List.of("http://127.0.0.1:9")));
        } finally {
            System.setOut(original);
        }
        String token;
        try {
            Matcher printed = Pattern.compile("(vreg_[A-Za-z0-9_-]{43})").matcher(console.toString(StandardCharsets.UTF_8));
            assertThat(printed.find()).as(console.toString(StandardCharsets.UTF_8)).isTrue();
            token = printed.group(1);
            assertThat(new ApiClient(vreg.baseUrl()).get("/api/v1/user", token).json().getBoolean("admin")).isTrue();
            assertThat(logs.lines()).noneMatch(line -> line.contains(token));
        } finally {
            vreg.close();
        }
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        System.setOut(new PrintStream(again, true, StandardCharsets.UTF_8));
        try {
            TestVreg.start(TestVreg.config(dataDir, List.of("http://127.0.0.1:9"))).close();
        } finally {
            System.setOut(original);
        }
        assertThat(again.toString(StandardCharsets.UTF_8)).doesNotContainPattern("vreg_[A-Za-z0-9_-]{43}");
    }
}
