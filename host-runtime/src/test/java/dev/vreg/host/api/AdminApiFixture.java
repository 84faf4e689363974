package dev.vreg.host.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.api.ApiClient.Answer;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.support.TestVreg;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Consumer;

/** One vreg with an admin token and helpers to set up users and groups through the API itself. */
final class AdminApiFixture implements AutoCloseable {

    static final String ADMIN = "vreg_fixture-admin-token-0123456789abcdefghijkl";

    final VregServer vreg;
    final ApiClient api;

    AdminApiFixture(int registryLimit, int upstreamLimit) {
        this(registryLimit, upstreamLimit, null);
    }

    AdminApiFixture(int registryLimit, int upstreamLimit, String encryptionKey) {
        this(config -> {
            config.limits.registriesPerGroupAndFormat = registryLimit;
            config.limits.upstreamsPerRegistry = upstreamLimit;
            config.security.encryptionKey = encryptionKey;
        });
    }

    /** A vreg with the test configuration as {@code adjust} changes it. */
    AdminApiFixture(Consumer<VregConfig> adjust) {
        VregConfig config = TestVreg.config(TestVreg.newDataDir(), List.of("http://127.0.0.1:9"));
        config.auth.adminToken = ADMIN;
        adjust.accept(config);
        vreg = TestVreg.start(config);
        api = new ApiClient(vreg.baseUrl());
    }

    static JsonObject expect(Answer answer, int status) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        return answer.body() == null || answer.body().isEmpty() || answer.body().startsWith("[")
                ? new JsonObject() : answer.json();
    }

    void group(String name) {
        expect(api.post("/api/v1/groups", ADMIN, new JsonObject().put("name", name)), 201);
    }

    /** Creates a user with {@code role} in {@code group} and returns a token of theirs with {@code scopes}. */
    String member(String user, String group, String role, String... scopes) {
        Answer created = api.post("/api/v1/users", ADMIN, new JsonObject().put("username", user));
        assertThat(created.status()).isIn(201, 409);
        if (group != null) {
            expect(api.put("/api/v1/groups/" + group + "/members/" + user, ADMIN, new JsonObject().put("role", role)),
                    200);
        }
        return token(user, scopes);
    }

    String token(String user, String... scopes) {
        return expect(api.post("/api/v1/users/" + user + "/tokens", ADMIN, new JsonObject().put("name", "t")
                .put("scopes", new JsonArray(List.of((Object[]) scopes)))), 201).getString("token");
    }

    long upstream(String group, String url) {
        return expect(api.post("/api/v1/groups/" + group + "/upstreams", ADMIN,
                new JsonObject().put("kind", "goproxy").put("url", url)), 201).getLong("id");
    }

    void registry(String group, String name) {
        expect(api.post("/api/v1/groups/" + group + "/registries", ADMIN,
                new JsonObject().put("name", name).put("format", "go")), 201);
    }

    JsonArray links(String group, String registry) {
        return expect(api.get("/api/v1/groups/" + group + "/registries/" + registry + "/upstreams", ADMIN), 200)
                .getJsonArray("upstreams");
    }

    @Override
    public void close() {
        vreg.close();
    }
}
