package dev.vreg.host.api;

import static dev.vreg.host.api.AdminApiFixture.ADMIN;
import static dev.vreg.host.api.AdminApiFixture.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.api.ApiClient.Answer;
import dev.vreg.host.support.LogCapture;
import dev.vreg.host.support.TestVreg;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where upstreams may connect. Every server of these tests listens on loopback, which upstreams may not use, so the
 * vreg here is started without the tests' usual allowance for it. Linux routes all of 127.0.0.0/8 to the loopback
 * interface: a GOPROXY stand-in on 127.0.0.1 plays a public upstream wherever 127.0.0.1/32 is allowed, and a server
 * on 127.0.0.2 an internal service that must never be reached.
 */
class UpstreamAddressesTest {

    static Vertx vertx;
    /** 404 for every module, as a GOPROXY server answers one it does not know; under /hop, a redirect to internal. */
    static HttpServer goproxy;
    static HttpServer internal;
    static final AtomicInteger goproxyRequests = new AtomicInteger();
    static final AtomicInteger internalRequests = new AtomicInteger();

    /** No network allowed; the default registry fronts the GOPROXY stand-in under the name localhost. */
    static AdminApiFixture strict;
    /** 127.0.0.1/32 allowed, and nothing else of loopback. */
    static AdminApiFixture allowing;
    static String strictMaintainer;
    static LogCapture logs;
    static String allowingMaintainer;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        internal = vertx.createHttpServer().requestHandler(request -> {
            internalRequests.incrementAndGet();
            request.response().setStatusCode(404).end("internal");
        }).listen(0, "127.0.0.2").await();
        goproxy = vertx.createHttpServer().requestHandler(request -> {
            goproxyRequests.incrementAndGet();
            if (request.path().startsWith("/hop/")) {
                request.response().setStatusCode(302).putHeader("Location", "http://127.0.0.2:"
                        + internal.actualPort() + request.path().substring("/hop".length())).end();
            } else {
                request.response().setStatusCode(404).end("not found");
            }
        }).listen(0, "127.0.0.1").await();
        logs = LogCapture.attach();
        strict = new AdminApiFixture(config -> {
            config.upstreams.allowedNetworks = List.of();
            config.bootstrap.goUpstreams = List.of("http://localhost:" + goproxy.actualPort());
        });
        strict.group("acme");
        strictMaintainer = strict.member("mia", "acme", "maintainer", "write");
        allowing = new AdminApiFixture(config -> config.upstreams.allowedNetworks = List.of("127.0.0.1/32"));
        allowing.group("acme");
        allowingMaintainer = allowing.member("mia", "acme", "maintainer", "write");
    }

    @AfterAll
    static void stop() {
        for (AdminApiFixture f : new AdminApiFixture[] {strict, allowing}) {
            if (f != null) {
                f.close();
            }
        }
        if (vertx != null) {
            vertx.close();
        }
        if (logs != null) {
            logs.close();
        }
    }

    static JsonObject upstream(String url) {
        return new JsonObject().put("kind", "goproxy").put("url", url);
    }

    static Answer create(AdminApiFixture f, String token, JsonObject body) {
        return f.api.post("/api/v1/groups/acme/upstreams", token, body);
    }

    /** The one error of a 422, naming {@code url}. */
    static String urlError(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(422);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        JsonObject error = answer.json().getJsonArray("errors").getJsonObject(0);
        assertThat(error.getString("field")).isEqualTo("url");
        return error.getString("message");
    }

    @Test
    void theEmbeddedDatabaseIsNoUpstream() {
        int port = strict.vreg.pool().query("SELECT inet_server_port() AS port").execute().await()
                .iterator().next().getInteger("port");
        assertThat(urlError(create(strict, strictMaintainer, upstream("http://127.0.0.1:" + port))))
                .startsWith("the address 127.0.0.1 is a loopback address; an instance admin can allow it");
    }

    @Test
    void theCloudMetadataServiceIsNoUpstream() {
        assertThat(urlError(create(strict, strictMaintainer, upstream("http://169.254.169.254/"))))
                .startsWith("the address 169.254.169.254 is a link-local address");
    }

    @Test
    void aNameIsJudgedByTheAddressItResolvesTo() {
        assertThat(urlError(create(strict, strictMaintainer, upstream("http://localhost:" + goproxy.actualPort()))))
                .startsWith("localhost resolves to 127.0.0.1, a loopback address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://[::1]:8080", "http://[::ffff:127.0.0.1]", "http://0.0.0.0:5432",
            "https://10.0.0.1", "http://192.168.1.1", "http://100.64.0.1", "http://[fd00::1]", "http://224.0.0.1"})
    void internalAddressesAreNoUpstreams(String url) {
        assertThat(urlError(create(strict, strictMaintainer, upstream(url)))).contains("an instance admin can allow it");
    }

    @Test
    void theUnsavedConnectionTestChecksTheAddressFirst() {
        int before = goproxyRequests.get();
        assertThat(urlError(strict.api.post("/api/v1/groups/acme/upstreams/test", strictMaintainer,
                upstream("http://127.0.0.1:" + goproxy.actualPort())))).contains("loopback");
        assertThat(goproxyRequests.get()).isEqualTo(before);
    }

    @Test
    void aChangedUrlIsCheckedAsANewOne() {
        long id = expect(create(strict, strictMaintainer, upstream("https://203.0.113.10/public")), 201)
                .getLong("id");
        assertThat(urlError(strict.api.patch("/api/v1/groups/acme/upstreams/" + id, strictMaintainer,
                new JsonObject().put("url", "http://127.0.0.1:5432")))).contains("loopback");
        expect(strict.api.patch("/api/v1/groups/acme/upstreams/" + id, strictMaintainer,
                new JsonObject().put("name", "renamed")), 200);
    }

    @Test
    void onlyTheInstanceAdminMayLetAnUpstreamIntoPrivateNetworks() {
        JsonObject body = upstream("http://127.0.0.2:" + internal.actualPort()).put("allowPrivateNetwork", true);
        Answer refused = create(strict, strictMaintainer, body);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().getString("detail")).contains("allowPrivateNetwork");

        JsonObject created = expect(create(strict, ADMIN, body), 201);
        assertThat(created.getBoolean("allowPrivateNetwork")).isTrue();
        String path = "/api/v1/groups/acme/upstreams/" + created.getLong("id");
        int before = internalRequests.get();
        JsonObject report = expect(strict.api.post(path + "/test", strictMaintainer, null), 200);
        assertThat(report.getString("state")).as(report.encode()).isEqualTo("ok");
        assertThat(internalRequests.get()).isGreaterThan(before);

        // The allowance was given for where the upstream points; moving it elsewhere is the admin's decision too.
        assertThat(strict.api.patch(path, strictMaintainer, new JsonObject().put("url", "http://127.0.0.2:1"))
                .status()).isEqualTo(403);
        assertThat(strict.api.patch(path, strictMaintainer, new JsonObject().put("allowPrivateNetwork", true))
                .status()).isEqualTo(403);
        expect(strict.api.patch(path, strictMaintainer, new JsonObject().put("name", "internal")), 200);
        assertThat(expect(strict.api.get(path, strictMaintainer), 200).getBoolean("allowPrivateNetwork")).isTrue();
        // Giving the allowance up is anyone's; the URL is then checked again.
        assertThat(urlError(strict.api.patch(path, strictMaintainer,
                new JsonObject().put("allowPrivateNetwork", false)))).contains("loopback");
    }

    @Test
    void anUpstreamThatSlippedPastTheSaveTimeCheckIsRefusedWhenItConnects() {
        // The operator's bootstrap list is not checked when saved; the connection is, on the address localhost
        // resolves to.
        int before = goproxyRequests.get();
        Answer pulled = strict.api.get("/go/default/main/example.com/m/@v/list", null);
        assertThat(pulled.status()).as(pulled.body()).isEqualTo(502);
        assertThat(pulled.body()).contains("the address 127.0.0.1 of upstream localhost:" + goproxy.actualPort()
                + " is not allowed (a loopback address)");
        assertThat(goproxyRequests.get()).isEqualTo(before);

        long id = strict.api.get("/api/v1/groups/default/upstreams", ADMIN).array().getJsonObject(0).getLong("id");
        JsonObject report = expect(strict.api.post("/api/v1/groups/default/upstreams/" + id + "/test", ADMIN, null),
                200);
        assertThat(report.getString("state")).isEqualTo("failed");
        assertThat(report.getBoolean("reachable")).isFalse();
        assertThat(report.getLong("latencyMillis")).isEqualTo(-1);
        assertThat(report.getString("message")).contains("is not allowed: localhost resolves to 127.0.0.1");
        assertThat(goproxyRequests.get()).isEqualTo(before);
    }

    @Test
    void theOperatorIsWarnedAtStartOfABootstrapUpstreamTheRuleRefuses() throws Exception {
        String expected = "Upstream http://localhost:" + goproxy.actualPort() + " of the default registry cannot be "
                + "used: localhost resolves to 127.0.0.1, a loopback address";
        for (int i = 0; i < 50 && logs.lines().stream().noneMatch(line -> line.contains(expected)); i++) {
            Thread.sleep(100);
        }
        assertThat(logs.lines()).anyMatch(line -> line.contains(expected)
                && line.contains("list its network in upstreams.allowedNetworks"));
    }

    @Test
    void allowedNetworksLetUpstreamsThere() {
        for (String url : List.of("http://127.0.0.1:" + goproxy.actualPort(),
                "http://localhost:" + goproxy.actualPort() + "/by-name")) {
            long id = expect(create(allowing, allowingMaintainer, upstream(url)), 201).getLong("id");
            JsonObject report = expect(allowing.api.post("/api/v1/groups/acme/upstreams/" + id + "/test",
                    allowingMaintainer, null), 200);
            assertThat(report.getString("state")).as(report.encode()).isEqualTo("ok");
        }
        assertThat(urlError(create(allowing, allowingMaintainer, upstream("http://127.0.0.2:"
                + internal.actualPort())))).startsWith("the address 127.0.0.2 is a loopback address");
    }

    @Test
    void aRedirectToARefusedAddressIsNotFollowed() {
        int before = internalRequests.get();
        long id = expect(create(allowing, allowingMaintainer, upstream("http://127.0.0.1:" + goproxy.actualPort()
                + "/hop")), 201).getLong("id");
        expect(allowing.api.post("/api/v1/groups/acme/registries", allowingMaintainer,
                new JsonObject().put("name", "hops").put("format", "go")), 201);
        expect(allowing.api.post("/api/v1/groups/acme/registries/hops/upstreams", allowingMaintainer,
                new JsonObject().put("upstreamId", id)), 201);

        Answer pulled = allowing.api.get("/go/acme/hops/example.com/m/@v/list", allowingMaintainer);
        assertThat(pulled.status()).as(pulled.body()).isEqualTo(502);
        assertThat(pulled.body()).contains("the address 127.0.0.2 of upstream 127.0.0.2:" + internal.actualPort()
                + " is not allowed (a loopback address)");

        JsonObject report = expect(allowing.api.post("/api/v1/groups/acme/upstreams/" + id + "/test",
                allowingMaintainer, null), 200);
        assertThat(report.getString("state")).isEqualTo("failed");
        assertThat(report.getString("message")).contains("127.0.0.2").contains("is not allowed");
        assertThat(report.getLong("latencyMillis")).isEqualTo(-1);
        assertThat(internalRequests.get()).isEqualTo(before);
    }

    @Test
    void maintainersAreNotToldWhyAnAllowedAddressCouldNotBeReached() {
        int closed = TestVreg.freePort();
        JsonObject body = upstream("http://127.0.0.1:" + closed);
        JsonObject general = expect(allowing.api.post("/api/v1/groups/acme/upstreams/test", allowingMaintainer,
                body), 200);
        assertThat(general.getString("message")).isEqualTo("Could not connect to upstream 127.0.0.1:" + closed
                + "; an instance admin running this test sees why.");
        assertThat(general.getLong("latencyMillis")).isEqualTo(-1);
        JsonObject detailed = expect(allowing.api.post("/api/v1/groups/acme/upstreams/test", ADMIN, body), 200);
        assertThat(detailed.getString("message")).contains("refused the connection");

        long id = expect(create(allowing, allowingMaintainer, body), 201).getLong("id");
        String path = "/api/v1/groups/acme/upstreams/" + id;
        assertThat(expect(allowing.api.post(path + "/test", ADMIN, null), 200).getString("message"))
                .contains("refused the connection");
        // What is kept is what the group sees.
        assertThat(expect(allowing.api.get(path, allowingMaintainer), 200).getJsonObject("status")
                .getString("message")).isEqualTo(general.getString("message"));
    }
}
