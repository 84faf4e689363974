package dev.vreg.host.pull;

import dev.vreg.host.identity.Tokens;
import dev.vreg.host.support.LogCapture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.api.ApiClient;
import dev.vreg.host.api.ApiClient.Answer;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoResult;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.StaticGoProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls from private registries: anonymous callers are asked to authenticate (401, which the go command reports
 * and does not fall through), tokens are accepted as Basic password or Bearer, and a token without access to the
 * group is told the registry does not exist, exactly like a registry that does not.
 */
class PullAuthTest {

    static final String ADMIN_TOKEN = "vreg_test-admin-token-0123456789abcdefghijklmnop";
    static final GoModule ALPHA = GoModule.builder("example.com/alpha", "v1.2.0").build();

    @TempDir
    static Path temp;

    static StaticGoProxy upstream;
    static VregServer vreg;
    static ApiClient api;
    static LogCapture logs;
    static String readerToken;
    static String otherGroupToken;
    static String deployToken;
    static String expiredToken;

    @BeforeAll
    static void start() throws Exception {
        logs = LogCapture.attach();
        upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("upstream")), ALPHA);
        VregConfig config = TestVreg.config(TestVreg.newDataDir(), List.of(upstream.baseUrl()));
        config.auth.adminToken = ADMIN_TOKEN;
        vreg = TestVreg.start(config);
        api = new ApiClient(vreg.baseUrl());

        created(api.post("/api/v1/groups", ADMIN_TOKEN, new JsonObject().put("name", "acme")));
        created(api.post("/api/v1/groups", ADMIN_TOKEN, new JsonObject().put("name", "other")));
        long upstreamId = created(api.post("/api/v1/groups/acme/upstreams", ADMIN_TOKEN,
                new JsonObject().put("kind", "goproxy").put("url", upstream.baseUrl()))).getLong("id");
        for (String name : List.of("private", "open")) {
            created(api.post("/api/v1/groups/acme/registries", ADMIN_TOKEN, new JsonObject().put("name", name)
                    .put("format", "go").put("public", name.equals("open"))));
            created(api.post("/api/v1/groups/acme/registries/" + name + "/upstreams", ADMIN_TOKEN,
                    new JsonObject().put("upstreamId", upstreamId)));
        }
        readerToken = member("rita", "acme", "reader");
        otherGroupToken = member("otto", "other", "owner");
        deployToken = created(api.post("/api/v1/groups/acme/deploy-tokens", ADMIN_TOKEN,
                new JsonObject().put("name", "ci"))).getString("token");
        expiredToken = Tokens.generate();
        vreg.pool().preparedQuery("""
                        INSERT INTO tokens (kind, name, user_id, hash, scopes, expires_at)
                        SELECT 'personal', 'old', id, $1, ARRAY['read'], now() - interval '1 hour'
                          FROM users WHERE username = 'rita'""")
                .execute(Tuple.of(Tokens.hash(expiredToken))).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    static String member(String user, String group, String role) {
        created(api.post("/api/v1/users", ADMIN_TOKEN, new JsonObject().put("username", user)));
        assertThat(api.put("/api/v1/groups/" + group + "/members/" + user, ADMIN_TOKEN,
                new JsonObject().put("role", role)).status()).isEqualTo(200);
        return created(api.post("/api/v1/users/" + user + "/tokens", ADMIN_TOKEN, new JsonObject()
                .put("name", "pull").put("scopes", new JsonArray().add("read")))).getString("token");
    }

    static JsonObject created(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        return answer.json();
    }

    @AfterAll
    static void stop() {
        if (vreg != null) {
            vreg.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (logs != null) {
            logs.close();
        }
    }

    static String list(String registry) {
        return "/go/acme/" + registry + ALPHA.listPath();
    }

    @Test
    void anonymousPullsFromAPrivateRegistryAreAskedToAuthenticate() {
        Answer answer = api.getWithHeader(list("private"), null);
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.wwwAuthenticate()).isEqualTo("Basic realm=\"vreg\"");
        assertThat(answer.contentType()).startsWith("text/plain");
        assertThat(answer.body().strip()).doesNotContain("\n").isNotEmpty();
    }

    @Test
    void publicRegistriesAdmitAnyone() {
        assertThat(api.getWithHeader(list("open"), null).status()).isEqualTo(200);
        assertThat(api.getWithHeader("/go/default/main" + ALPHA.listPath(), null).status()).isEqualTo(200);
    }

    @Test
    void aTokenIsAcceptedAsBasicPasswordWithAnyUserNameOrAsBearer() {
        assertThat(api.getWithHeader(list("private"), ApiClient.basic("anyone", readerToken)).body())
                .contains("v1.2.0");
        assertThat(api.getWithHeader(list("private"), ApiClient.basic("", readerToken)).status()).isEqualTo(200);
        assertThat(api.getWithHeader(list("private"), "Bearer " + readerToken).status()).isEqualTo(200);
        assertThat(api.getWithHeader(list("private"), "Bearer " + ADMIN_TOKEN).status()).isEqualTo(200);
        assertThat(api.getWithHeader(list("private"), ApiClient.basic("ci", deployToken)).status()).isEqualTo(200);
    }

    @Test
    void unknownAndExpiredTokensAreRefusedWith401() {
        for (String header : List.of("Bearer " + expiredToken, ApiClient.basic("x", expiredToken),
                "Bearer " + Tokens.generate(), "Bearer", "Basic !!!", "Digest abc")) {
            Answer answer = api.getWithHeader(list("private"), header);
            assertThat(answer.status()).as(header).isEqualTo(401);
            assertThat(answer.wwwAuthenticate()).isEqualTo("Basic realm=\"vreg\"");
        }
    }

    @Test
    void aTokenOfAnotherGroupGetsTheAnswerOfARegistryThatDoesNotExist() {
        Answer refused = api.getWithHeader(list("private"), "Bearer " + otherGroupToken);
        Answer missing = api.getWithHeader(list("nothere"), "Bearer " + otherGroupToken);
        assertThat(refused.status()).isEqualTo(404);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(refused.contentType()).isEqualTo(missing.contentType());
        assertThat(refused.body().replace("private", "X")).isEqualTo(missing.body().replace("nothere", "X"));
    }

    @Test
    void lastUseIsRecordedInBatches() throws Exception {
        assertThat(api.getWithHeader(list("private"), "Bearer " + deployToken).status()).isEqualTo(200);
        vreg.lastUsedTokens().flush().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        JsonArray tokens = api.get("/api/v1/groups/acme/deploy-tokens", ADMIN_TOKEN).array();
        assertThat(tokens.getJsonObject(0).getString("lastUsedAt")).isNotNull();
    }

    @Test
    void theGoCommandReports401AndDoesNotFallThroughToTheNextProxy() throws Exception {
        GoTool go = GoTool.builder(Files.createDirectories(temp.resolve("anonymous")))
                .proxy(vreg.baseUrl() + "/go/acme/private," + upstream.baseUrl()).build();
        GoResult result = go.run("mod", "download", "-json", ALPHA.path() + "@" + ALPHA.version());
        assertThat(result.succeeded()).isFalse();
        assertThat(result.stdout() + result.stderr()).contains("401 Unauthorized");
        GoTool open = GoTool.builder(Files.createDirectories(temp.resolve("open")))
                .proxy(vreg.baseUrl() + "/go/acme/open").build();
        open.run("mod", "download", ALPHA.path() + "@" + ALPHA.version()).assertSuccess();
    }

    @Test
    void aRegistryCreatedAndLinkedThroughTheApiServesAtOnceEvenRightAfterA404() {
        assertThat(api.getWithHeader("/go/acme/fresh" + ALPHA.listPath(), null).status()).isEqualTo(404);
        created(api.post("/api/v1/groups/acme/registries", ADMIN_TOKEN, new JsonObject().put("name", "fresh")
                .put("format", "go").put("public", true)));
        long id = api.get("/api/v1/groups/acme/upstreams", ADMIN_TOKEN).array().getJsonObject(0).getLong("id");
        created(api.post("/api/v1/groups/acme/registries/fresh/upstreams", ADMIN_TOKEN,
                new JsonObject().put("upstreamId", id)));
        assertThat(api.getWithHeader("/go/acme/fresh" + ALPHA.listPath(), null).body()).contains("v1.2.0");
        assertThat(api.patch("/api/v1/groups/acme/registries/fresh", ADMIN_TOKEN, new JsonObject().put("public", false))
                .status()).isEqualTo(200);
        assertThat(api.getWithHeader("/go/acme/fresh" + ALPHA.listPath(), null).status()).isEqualTo(401);
    }

    @Test
    void noTokenEverAppearsInALogLine() {
        api.getWithHeader(list("private"), "Bearer " + expiredToken);
        api.get("/api/v1/groups", "not-a-token-" + ADMIN_TOKEN);
        for (String token : List.of(ADMIN_TOKEN, readerToken, otherGroupToken, deployToken, expiredToken)) {
            assertThat(logs.lines()).noneMatch(line -> line.contains(token))
                    .noneMatch(line -> line.contains(Tokens.hash(token)));
        }
    }
}
