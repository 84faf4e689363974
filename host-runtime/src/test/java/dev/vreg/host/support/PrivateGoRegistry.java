package dev.vreg.host.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.api.ApiClient;
import dev.vreg.host.config.VregConfig;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoproxyFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * vreg on its embedded default with its generated private CA (HTTPS on a second port, plain HTTP beside it), a
 * {@link GoproxyFixture} publishing {@code modules}, and in front of it the private registry {@code acme/private}
 * whose group has the reader {@code rita}. One per test class: start it in {@code @BeforeAll}, close it after.
 */
public final class PrivateGoRegistry implements AutoCloseable {

    public static final String ADMIN_TOKEN = "vreg_goauth-admin-token-0123456789abcdefghijklmnop";
    public static final String GROUP = "acme";
    public static final String REGISTRY = "private";
    public static final String READER = "rita";

    public final GoproxyFixture upstream;
    public final VregServer vreg;
    public final ApiClient api;
    /** A {@code read} token of {@link #READER}, without expiry. */
    public final String readerToken;

    private PrivateGoRegistry(GoproxyFixture upstream, VregServer vreg) {
        this.upstream = upstream;
        this.vreg = vreg;
        this.api = new ApiClient(vreg.baseUrl());
        created(api.post("/api/v1/groups", ADMIN_TOKEN, new JsonObject().put("name", GROUP)));
        long id = created(api.post("/api/v1/groups/acme/upstreams", ADMIN_TOKEN, new JsonObject()
                .put("kind", "goproxy").put("url", upstream.baseUrl().toString()))).getLong("id");
        created(api.post("/api/v1/groups/acme/registries", ADMIN_TOKEN,
                new JsonObject().put("name", REGISTRY).put("format", "go")));
        created(api.post("/api/v1/groups/acme/registries/private/upstreams", ADMIN_TOKEN,
                new JsonObject().put("upstreamId", id)));
        created(api.post("/api/v1/users", ADMIN_TOKEN, new JsonObject().put("username", READER)));
        assertThat(api.put("/api/v1/groups/acme/members/" + READER, ADMIN_TOKEN,
                new JsonObject().put("role", "reader")).status()).isEqualTo(200);
        this.readerToken = token("reader", null);
    }

    /** Starts it; {@code configure} may change the configuration first (e.g. add names to the certificate). */
    public static PrivateGoRegistry start(Clock clock, Consumer<VregConfig> configure, GoModule... modules) {
        GoproxyFixture upstream = GoproxyFixture.start().publish(modules);
        try {
            VregConfig config = TestVreg.config(TestVreg.newDataDir(), List.of(upstream.baseUrl().toString()));
            config.auth.adminToken = ADMIN_TOKEN;
            config.http.tls.generate = true;
            config.http.tls.port = TestVreg.freePort();
            configure.accept(config);
            VregServer vreg = TestVreg.start(config, clock);
            assertThat(vreg.caFile()).isEqualTo(config.dataDir.resolve("tls/ca.pem"));
            assertThat(Files.isRegularFile(vreg.caFile())).isTrue();
            return new PrivateGoRegistry(upstream, vreg);
        } catch (RuntimeException | Error e) {
            upstream.close();
            throw e;
        }
    }

    /** A new {@code read} token of {@link #READER}, expiring at {@code expiresAt} unless null. */
    public String token(String name, Instant expiresAt) {
        JsonObject body = new JsonObject().put("name", name).put("scopes", new JsonArray().add("read"));
        if (expiresAt != null) {
            body.put("expiresAt", expiresAt.toString());
        }
        return created(api.post("/api/v1/users/" + READER + "/tokens", ADMIN_TOKEN, body)).getString("token");
    }

    /** {@code https://127.0.0.1:<port>} of the HTTPS listener. */
    public String httpsBase() {
        return vreg.httpsBaseUrl();
    }

    public int httpsPort() {
        return Integer.parseInt(httpsBase().substring(httpsBase().lastIndexOf(':') + 1));
    }

    /** The GOPROXY of the private registry over HTTPS. */
    public String goproxy() {
        return httpsBase() + "/go/" + GROUP + "/" + REGISTRY;
    }

    private static JsonObject created(ApiClient.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        return answer.json();
    }

    @Override
    public void close() {
        try {
            vreg.close();
        } finally {
            upstream.close();
        }
    }
}
