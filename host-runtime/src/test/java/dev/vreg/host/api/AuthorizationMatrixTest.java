package dev.vreg.host.api;

import static dev.vreg.host.api.AdminApiFixture.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vreg.host.api.ApiClient.Answer;
import dev.vreg.host.identity.Tokens;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may do what: anonymous and expired callers are asked to authenticate, another group's members are told the
 * group does not exist, and within a group reader ⊂ maintainer ⊂ owner ⊂ instance admin.
 */
class AuthorizationMatrixTest {

    static AdminApiFixture f;
    static final Map<String, String> CALLERS = new LinkedHashMap<>();
    static String readScopedMaintainer;
    static String deployToken;

    @BeforeAll
    static void start() throws Exception {
        f = new AdminApiFixture(100, 20);
        f.group("acme");
        f.group("other");
        CALLERS.put("anonymous", null);
        CALLERS.put("unknown token", Tokens.generate());
        CALLERS.put("expired", expiredToken());
        CALLERS.put("other group's owner", f.member("otto", "other", "owner", "read", "write"));
        CALLERS.put("reader", f.member("rita", "acme", "reader", "read", "write"));
        CALLERS.put("maintainer", f.member("max", "acme", "maintainer", "read", "write"));
        CALLERS.put("owner", f.member("olga", "acme", "owner", "read", "write"));
        CALLERS.put("admin", ADMIN);
        readScopedMaintainer = f.token("max", "read");
        deployToken = AdminApiFixture.expect(f.api.post("/api/v1/groups/acme/deploy-tokens", ADMIN,
                new JsonObject().put("name", "ci")), 201).getString("token");
    }

    static String expiredToken() throws Exception {
        f.member("eve", "acme", "owner", "read");
        String token = Tokens.generate();
        f.vreg.pool().preparedQuery("""
                        INSERT INTO tokens (kind, name, user_id, hash, scopes, expires_at)
                        SELECT 'personal', 'old', id, $1, ARRAY['read', 'write'], now() - interval '1 second'
                          FROM users WHERE username = 'eve'""")
                .execute(Tuple.of(Tokens.hash(token))).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        return token;
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    /** The status each caller gets, in the order of {@link #CALLERS}. */
    static Map<String, Integer> statuses(Function<String, Answer> call) {
        Map<String, Integer> out = new LinkedHashMap<>();
        CALLERS.forEach((who, token) -> {
            Answer answer = call.apply(token);
            if (answer.status() >= 400) {
                assertThat(answer.contentType()).as(who).isEqualTo("application/problem+json");
                assertThat(answer.json().getInteger("status")).isEqualTo(answer.status());
            }
            out.put(who, answer.status());
        });
        return out;
    }

    static Map<String, Integer> expected(int anonymous, int other, int reader, int maintainer, int owner, int admin) {
        Map<String, Integer> out = new LinkedHashMap<>();
        out.put("anonymous", anonymous);
        out.put("unknown token", 401);
        out.put("expired", 401);
        out.put("other group's owner", other);
        out.put("reader", reader);
        out.put("maintainer", maintainer);
        out.put("owner", owner);
        out.put("admin", admin);
        return out;
    }

    @Test
    void readingAGroupNeedsAnyRoleInIt() {
        assertThat(statuses(t -> f.api.get("/api/v1/groups/acme", t))).isEqualTo(expected(401, 404, 200, 200, 200, 200));
        assertThat(statuses(t -> f.api.get("/api/v1/groups/acme/registries", t)))
                .isEqualTo(expected(401, 404, 200, 200, 200, 200));
    }

    @Test
    void configuringRegistriesNeedsMaintainer() {
        int[] n = {0};
        assertThat(statuses(t -> f.api.post("/api/v1/groups/acme/registries", t,
                new JsonObject().put("name", "r" + n[0]++).put("format", "go"))))
                .isEqualTo(expected(401, 404, 403, 201, 201, 201));
        assertThat(statuses(t -> f.api.post("/api/v1/groups/acme/upstreams", t,
                new JsonObject().put("kind", "goproxy").put("url", "http://127.0.0.1:9/u" + n[0]++))))
                .isEqualTo(expected(401, 404, 403, 201, 201, 201));
    }

    @Test
    void membersAndDeployTokensAreTheOwners() {
        f.member("nina", null, null, "read");
        assertThat(statuses(t -> f.api.put("/api/v1/groups/acme/members/nina", t,
                new JsonObject().put("role", "reader")))).isEqualTo(expected(401, 404, 403, 403, 200, 200));
        assertThat(statuses(t -> f.api.get("/api/v1/groups/acme/deploy-tokens", t)))
                .isEqualTo(expected(401, 404, 403, 403, 200, 200));
    }

    @Test
    void usersAreTheInstanceAdmins() {
        int[] n = {0};
        assertThat(statuses(t -> f.api.post("/api/v1/users", t, new JsonObject().put("username", "u" + n[0]++))))
                .isEqualTo(expected(401, 403, 403, 403, 403, 201));
    }

    @Test
    void aReadScopedTokenCannotChangeAnythingAndCannotMintAStrongerToken() {
        assertThat(f.api.get("/api/v1/groups/acme/registries", readScopedMaintainer).status()).isEqualTo(200);
        Answer write = f.api.post("/api/v1/groups/acme/registries", readScopedMaintainer,
                new JsonObject().put("name", "nope").put("format", "go"));
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.json().getString("detail")).contains("write scope");
        assertThat(f.api.post("/api/v1/users/max/tokens", readScopedMaintainer,
                new JsonObject().put("name", "x").put("scopes", new io.vertx.core.json.JsonArray().add("write")))
                .status()).isEqualTo(403);
    }

    @Test
    void deployTokensOnlyPull() {
        Answer answer = f.api.get("/api/v1/groups/acme", deployToken);
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.body()).doesNotContain(deployToken);
    }

    /**
     * Every operation the API description lists refuses callers without a valid token and deploy tokens, and every
     * operation inside a group answers another group's owner as if the group did not exist (operations with a body
     * may first refuse the body, which says nothing about the group). Nothing is changed by any of these calls.
     */
    @Test
    void everyDescribedOperationIsGuarded() throws Exception {
        JsonNode spec = new ObjectMapper(new YAMLFactory()).readTree(Path.of("..", "docs", "openapi.yaml").toFile());
        String otherOwner = CALLERS.get("other group's owner");
        int operations = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = spec.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            String concrete = "/api/v1" + path.getKey().replace("{group}", "acme").replace("{registry}", "main")
                    .replace("{username}", "rita").replaceAll("\\{\\w+}", "1");
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next().toUpperCase(Locale.ROOT);
                if (method.equals("PARAMETERS")) {
                    continue;
                }
                operations++;
                String what = method + " " + path.getKey();
                Object body = method.equals("GET") || method.equals("DELETE") ? null : new JsonObject();
                for (String caller : List.of("anonymous", "unknown token", "expired")) {
                    Answer answer = f.api.send(method, concrete, CALLERS.get(caller),
                            body == null ? null : "application/json", body);
                    assertThat(answer.status()).as(what + " by " + caller).isEqualTo(401);
                    assertThat(answer.wwwAuthenticate()).as(what).startsWith("Bearer");
                }
                assertThat(f.api.send(method, concrete, deployToken, body == null ? null : "application/json", body)
                        .status()).as(what + " with a deploy token").isEqualTo(403);
                if (path.getKey().startsWith("/groups/{group}")) {
                    int status = f.api.send(method, concrete, otherOwner, body == null ? null : "application/json",
                            body).status();
                    if (body == null) {
                        assertThat(status).as(what + " by another group's owner").isEqualTo(404);
                    } else {
                        assertThat(status).as(what + " by another group's owner").isIn(400, 404, 422);
                    }
                }
            }
        }
        assertThat(operations).isGreaterThan(35);
        assertThat(statuses(t -> f.api.get("/api/v1/groups/acme", t))).isEqualTo(expected(401, 404, 200, 200, 200,
                200));
    }

    @Test
    void theApiDescriptionItselfIsPublic() throws Exception {
        Answer description = f.api.get("/api/v1/openapi.yaml", null);
        assertThat(description.status()).isEqualTo(200);
        assertThat(description.contentType()).startsWith("application/yaml");
        assertThat(description.body()).isEqualTo(java.nio.file.Files.readString(Path.of("..", "docs",
                "openapi.yaml")));
    }

    @Test
    void anUnauthenticatedCallIsToldHowToAuthenticate() {
        Answer answer = f.api.get("/api/v1/groups", null);
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.wwwAuthenticate()).isEqualTo("Bearer realm=\"vreg\"");
    }

    @Test
    void membersListOnlyTheirGroups() {
        assertThat(f.api.get("/api/v1/groups", CALLERS.get("reader")).array().stream()
                .map(g -> ((JsonObject) g).getString("name")).toList()).containsExactly("acme");
        assertThat(f.api.get("/api/v1/groups", ADMIN).array().stream()
                .map(g -> ((JsonObject) g).getString("name")).toList()).contains("acme", "other", "default");
    }

    @Test
    void aRoleChangeAppliesToTheNextCall() {
        String token = f.member("rolf", "acme", "reader", "read", "write");
        JsonObject body = new JsonObject().put("kind", "goproxy").put("url", "http://127.0.0.1:9/rolf");
        assertThat(f.api.post("/api/v1/groups/acme/upstreams", token, body).status()).isEqualTo(403);
        AdminApiFixture.expect(f.api.put("/api/v1/groups/acme/members/rolf", ADMIN,
                new JsonObject().put("role", "maintainer")), 200);
        assertThat(f.api.post("/api/v1/groups/acme/upstreams", token, body).status()).isEqualTo(201);
        AdminApiFixture.expect(f.api.delete("/api/v1/groups/acme/members/rolf", ADMIN), 204);
        assertThat(f.api.get("/api/v1/groups/acme", token).status()).isEqualTo(404);
    }

    @Test
    void onlyOwnersDeleteAGroupAndEverythingInItGoesWithIt() {
        f.group("doomed");
        String maintainer = f.member("mona", "doomed", "maintainer", "read", "write");
        String owner = f.member("oscar", "doomed", "owner", "read", "write");
        long upstream = f.upstream("doomed", "http://127.0.0.1:9/doomed");
        f.registry("doomed", "reg");
        AdminApiFixture.expect(f.api.post("/api/v1/groups/doomed/registries/reg/upstreams", ADMIN,
                new JsonObject().put("upstreamId", upstream)), 201);
        String deploy = AdminApiFixture.expect(f.api.post("/api/v1/groups/doomed/deploy-tokens", ADMIN,
                new JsonObject().put("name", "ci")), 201).getString("token");
        assertThat(f.api.delete("/api/v1/groups/doomed", maintainer).status()).isEqualTo(403);
        assertThat(f.api.delete("/api/v1/groups/doomed", CALLERS.get("other group's owner")).status()).isEqualTo(404);
        assertThat(f.api.delete("/api/v1/groups/doomed", owner).status()).isEqualTo(204);
        assertThat(f.api.get("/api/v1/groups/doomed", ADMIN).status()).isEqualTo(404);
        assertThat(f.api.getWithHeader("/go/doomed/reg/example.com/x/@v/list", "Bearer " + deploy).status())
                .isEqualTo(404);
        f.group("doomed");
        assertThat(f.api.get("/api/v1/groups/doomed/upstreams", ADMIN).array()).isEmpty();
    }

    @Test
    void aGroupKeepsAnOwner() {
        f.group("solo");
        Answer answer = f.api.delete("/api/v1/groups/solo/members/admin", ADMIN);
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.json().getString("detail")).contains("owner");
    }
}
