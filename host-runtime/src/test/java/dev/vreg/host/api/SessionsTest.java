package dev.vreg.host.api;

import static dev.vreg.host.api.AdminApiFixture.ADMIN;
import static dev.vreg.host.api.AdminApiFixture.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.api.ApiClient.Answer;
import dev.vreg.host.support.LogCapture;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.support.TestVreg;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sessions: JWTs a personal token is exchanged for, with the token's scopes, roles and lifetime. */
class SessionsTest {

    static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    static AdminApiFixture f;

    @BeforeAll
    static void start() {
        f = new AdminApiFixture(20, 20, KEY);
        f.group("acme");
        f.group("other");
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    static JsonObject session(String token) {
        return expect(f.api.post("/api/v1/sessions", token, null), 201);
    }

    @Test
    void aSessionActsForItsTokensUserWithTheTokensScopesAndRoles() {
        String token = f.member("sam", "acme", "maintainer", "read", "write");
        JsonObject session = session(token);
        String jwt = session.getString("accessToken");
        assertThat(jwt).startsWith("eyJ").doesNotContain(token);
        assertThat(session.getString("tokenType")).isEqualTo("Bearer");
        assertThat(session.getJsonArray("scopes")).containsExactly("read", "write");
        assertThat(session.getLong("expiresIn")).isBetween(8 * 3600L - 60, 8 * 3600L);
        assertThat(Instant.parse(session.getString("expiresAt"))).isAfter(Instant.now().plus(Duration.ofHours(7)));

        assertThat(expect(f.api.get("/api/v1/user", jwt), 200).getString("username")).isEqualTo("sam");
        expect(f.api.post("/api/v1/groups/acme/registries", jwt, new JsonObject().put("name", "by-session")
                .put("format", "go")), 201);
        assertThat(f.api.get("/api/v1/groups/other", jwt).status()).isEqualTo(404);
        assertThat(f.api.delete("/api/v1/groups/acme", jwt).status()).isEqualTo(403);

        // A session renews itself into a new one for the same token.
        String renewed = session(jwt).getString("accessToken");
        assertThat(renewed).isNotEqualTo(jwt);
        assertThat(expect(f.api.get("/api/v1/user", renewed), 200).getString("username")).isEqualTo("sam");
    }

    @Test
    void aSessionHasNoMoreScopesThanItsTokenAndEndsWithIt() {
        String readOnly = f.member("rita", "acme", "maintainer", "read");
        JsonObject session = session(readOnly);
        assertThat(session.getJsonArray("scopes")).containsExactly("read");
        String jwt = session.getString("accessToken");
        expect(f.api.get("/api/v1/groups/acme/registries", jwt), 200);
        assertThat(f.api.post("/api/v1/groups/acme/registries", jwt, new JsonObject().put("name", "nope")
                .put("format", "go")).status()).isEqualTo(403);

        Instant soon = Instant.now().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String shortLived = expect(f.api.post("/api/v1/users/rita/tokens", ADMIN, new JsonObject().put("name", "1h")
                .put("scopes", new JsonArray().add("read")).put("expiresAt", soon.toString())), 201)
                .getString("token");
        assertThat(Instant.parse(session(shortLived).getString("expiresAt"))).isEqualTo(soon);
    }

    @Test
    void revokingTheTokenOrTheRoleEndsItsSessionsAtOnce() {
        String token = f.member("vic", "acme", "reader", "read", "write");
        String jwt = session(token).getString("accessToken");
        expect(f.api.get("/api/v1/groups/acme", jwt), 200);

        expect(f.api.delete("/api/v1/groups/acme/members/vic", ADMIN), 204);
        assertThat(f.api.get("/api/v1/groups/acme", jwt).status()).isEqualTo(404);

        long id = f.api.get("/api/v1/users/vic/tokens", ADMIN).array().getJsonObject(0).getLong("id");
        expect(f.api.delete("/api/v1/users/vic/tokens/" + id, ADMIN), 204);
        Answer revoked = f.api.get("/api/v1/user", jwt);
        assertThat(revoked.status()).isEqualTo(401);
        assertThat(revoked.wwwAuthenticate()).startsWith("Bearer");
    }

    @Test
    void signingOutEndsTheSessionAndItsRenewalsButNotTheTokenOrOtherSessions() {
        String token = f.member("una", "acme", "maintainer", "read", "write");
        String first = session(token).getString("accessToken");
        String renewed = session(first).getString("accessToken");
        String other = session(token).getString("accessToken");

        Answer ended = f.api.delete("/api/v1/session", renewed);
        assertThat(ended.status()).isEqualTo(204);
        // The session it was renewed from is the same session: both end at once.
        for (String jwt : List.of(renewed, first)) {
            Answer refused = f.api.get("/api/v1/user", jwt);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.wwwAuthenticate()).startsWith("Bearer");
            assertThat(f.api.post("/api/v1/sessions", jwt, null).status()).isEqualTo(401);
        }
        assertThat(f.api.delete("/api/v1/session", renewed).status()).isEqualTo(401);
        assertThat(expect(f.api.get("/api/v1/user", other), 200).getString("username")).isEqualTo("una");
        assertThat(expect(f.api.get("/api/v1/user", token), 200).getString("username")).isEqualTo("una");

        // A personal token has no session to end.
        Answer notASession = f.api.delete("/api/v1/session", token);
        assertThat(notASession.status()).isEqualTo(409);
        assertThat(notASession.json().getString("detail")).contains("personal token");
        assertThat(f.api.get("/api/v1/user", token).status()).isEqualTo(200);
    }

    @Test
    void signingOutSurvivesARestart() {
        Path dataDir = TestVreg.newDataDir();
        VregConfig config = TestVreg.config(dataDir, List.of("http://127.0.0.1:9"));
        config.auth.adminToken = ADMIN;
        String jwt;
        try (VregServer vreg = TestVreg.start(config)) {
            ApiClient api = new ApiClient(vreg.baseUrl());
            jwt = expect(api.post("/api/v1/sessions", ADMIN, null), 201).getString("accessToken");
            assertThat(api.delete("/api/v1/session", jwt).status()).isEqualTo(204);
        }
        try (VregServer vreg = TestVreg.start(config)) {
            ApiClient api = new ApiClient(vreg.baseUrl());
            assertThat(api.get("/api/v1/user", jwt).status()).isEqualTo(401);
            assertThat(vreg.pool().query("SELECT count(*) AS n FROM ended_sessions").execute()
                    .toCompletionStage().toCompletableFuture().join().iterator().next().getLong("n")).isEqualTo(1);
        }
    }

    @Test
    void forgedAlteredAndForeignSessionsAreRefused() {
        String token = f.member("wes", "acme", "owner", "read", "write", "admin");
        String jwt = session(token).getString("accessToken");
        String[] parts = jwt.split("\\.");
        JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]),
                StandardCharsets.UTF_8));

        // The same claims for another user, keeping the signature: refused.
        String altered = parts[0] + "." + encode(claims.copy().put("sub", "1").encode()) + "." + parts[2];
        assertThat(f.api.get("/api/v1/user", altered).status()).isEqualTo(401);
        // No signature at all ("alg": "none"): refused.
        String unsigned = encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
        assertThat(f.api.get("/api/v1/user", unsigned).status()).isEqualTo(401);
        // Signed by another vreg (another key): refused.
        try (AdminApiFixture other = new AdminApiFixture(20, 20)) {
            String foreign = expect(other.api.post("/api/v1/sessions", ADMIN, null), 201).getString("accessToken");
            assertThat(f.api.get("/api/v1/user", foreign).status()).isEqualTo(401);
        }
        assertThat(f.api.get("/api/v1/user", jwt).status()).isEqualTo(200);
    }

    @Test
    void sessionsExpireAndSurviveARestartAndNeverReachTheLog() throws Exception {
        try (LogCapture logs = LogCapture.attach()) {
            Path dataDir = TestVreg.newDataDir();
            VregConfig config = TestVreg.config(dataDir, List.of("http://127.0.0.1:9"));
            config.auth.adminToken = ADMIN;
            config.auth.sessionValidity = Duration.ofSeconds(2);
            String jwt;
            try (VregServer vreg = TestVreg.start(config)) {
                ApiClient api = new ApiClient(vreg.baseUrl());
                jwt = expect(api.post("/api/v1/sessions", ADMIN, null), 201).getString("accessToken");
                assertThat(api.get("/api/v1/user", jwt).status()).isEqualTo(200);
            }
            config.auth.sessionValidity = Duration.ofHours(1);
            try (VregServer vreg = TestVreg.start(config)) {
                ApiClient api = new ApiClient(vreg.baseUrl());
                String longer = expect(api.post("/api/v1/sessions", ADMIN, null), 201).getString("accessToken");
                // The key is kept in the database, so sessions outlive a restart (and work on every node).
                assertThat(api.get("/api/v1/user", longer).status()).isEqualTo(200);
                for (long deadline = System.nanoTime() + 10_000_000_000L;
                     System.nanoTime() < deadline && api.get("/api/v1/user", jwt).status() == 200; ) {
                    Thread.sleep(200);
                }
                assertThat(api.get("/api/v1/user", jwt).status()).isEqualTo(401);
            }
            assertThat(logs.lines()).noneMatch(line -> line.contains(jwt) || line.contains(ADMIN));
        }
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
