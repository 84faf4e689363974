package dev.vreg.host.api;

import static dev.vreg.host.api.AdminApiFixture.ADMIN;
import static dev.vreg.host.api.AdminApiFixture.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.StaticGoProxy;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks against a receiver in the test: signed JSON deliveries of the kinds chosen, a retry after a 500, the
 * delivery log with the receiver's answers, the test event, and URLs held to the address rule of upstreams.
 */
class WebhooksTest {

    static final GoModule ALPHA = GoModule.builder("example.com/alpha", "v1.2.0").build();
    static final GoModule BETA = GoModule.builder("example.com/beta", "v0.1.0").build();

    /** A request the receiver got. */
    record Received(String path, Map<String, String> headers, String body, Instant at) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    @TempDir
    static Path temp;

    static StaticGoProxy upstream;
    static AdminApiFixture f;
    static Vertx vertx;
    static HttpServer receiver;
    static String base;
    static long upstreamId;
    static final Map<String, BlockingQueue<Received>> received = new ConcurrentHashMap<>();
    /** How many requests of each path the receiver answered 500 before it answers 200. */
    static final Map<String, Integer> failFirst = Map.of("/deleted", 1, "/always", Integer.MAX_VALUE);
    static final Map<String, AtomicInteger> answered = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("upstream")), ALPHA, BETA);
        vertx = Vertx.vertx();
        receiver = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            Map<String, String> headers = new ConcurrentHashMap<>();
            request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
            String path = request.path();
            received.computeIfAbsent(path, p -> new LinkedBlockingQueue<>())
                    .add(new Received(path, headers, body.toString(StandardCharsets.UTF_8), Instant.now()));
            int n = answered.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            boolean fail = n <= failFirst.getOrDefault(path, 0);
            request.response().setStatusCode(fail ? 500 : 200).end(fail ? "receiver down " + n : "thanks " + n);
        })).listen(0, "127.0.0.1").await();
        base = "http://127.0.0.1:" + receiver.actualPort();
        f = new AdminApiFixture(config -> {
            config.audit.webhooks.backoff = Duration.ofMillis(300);
            config.audit.webhooks.attempts = 3;
        });
        f.group("acme");
        upstreamId = f.upstream("acme", upstream.baseUrl());
        expect(f.api.post("/api/v1/groups/acme/registries", ADMIN, new JsonObject().put("name", "main")
                .put("format", "go").put("public", true)), 201);
        expect(f.api.post("/api/v1/groups/acme/registries/main/upstreams", ADMIN,
                new JsonObject().put("upstreamId", upstreamId)), 201);
        for (String path : List.of(ALPHA.infoPath(), ALPHA.modPath(), ALPHA.zipPath())) {
            assertThat(f.api.get("/go/acme/main" + path, null).status()).isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
        if (vertx != null) {
            vertx.close().await();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    static JsonObject webhook(String path, String... events) {
        return expect(f.api.post("/api/v1/groups/acme/webhooks", ADMIN, new JsonObject().put("url", base + path)
                .put("events", new JsonArray(List.of((Object[]) events)))), 201);
    }

    static Received next(String path) throws Exception {
        Received r = received.computeIfAbsent(path, p -> new LinkedBlockingQueue<>()).poll(20, TimeUnit.SECONDS);
        assertThat(r).as("a delivery to " + path).isNotNull();
        return r;
    }

    /** The next delivery to {@code path} of {@code kind}, passing over those of other kinds. */
    static Received next(String path, String kind) throws Exception {
        while (true) {
            Received r = next(path);
            if (kind.equals(r.json().getString("kind"))) {
                return r;
            }
        }
    }

    static void flush() throws Exception {
        f.vreg.audit().flush().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The signature as a receiver checks it: HMAC-SHA256 of "t.body" with the secret, t not too old. */
    static void assertSigned(Received r, String secret) throws Exception {
        String header = r.headers().get("x-vreg-signature");
        assertThat(header).matches("t=\\d+,v1=[0-9a-f]{64}");
        long t = Long.parseLong(header.substring(2, header.indexOf(',')));
        assertThat(Math.abs(Instant.now().getEpochSecond() - t)).isLessThan(300);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
        assertThat(header.substring(header.indexOf("v1=") + 3)).isEqualTo(expected);
    }

    static JsonArray deliveries(long webhook) {
        return expect(f.api.get("/api/v1/groups/acme/webhooks/" + webhook + "/deliveries", ADMIN), 200)
                .getJsonArray("deliveries");
    }

    static JsonObject settled(long webhook) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            JsonArray list = deliveries(webhook);
            if (!list.isEmpty() && !"pending".equals(list.getJsonObject(0).getString("state"))) {
                return list.getJsonObject(0);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the delivery is still pending: " + deliveries(webhook));
    }

    @Test
    void aDeletionIsDeliveredSignedAndRetriedAfterA500() throws Exception {
        JsonObject hook = webhook("/deleted", "entries.deleted");
        String secret = hook.getString("secret");
        assertThat(secret).startsWith("whsec_").hasSizeGreaterThan(40);
        long id = hook.getLong("id");

        JsonObject purge = expect(f.api.delete("/api/v1/groups/acme/registries/main/cache", ADMIN), 200);
        flush();
        Received first = next("/deleted");
        Received retry = next("/deleted");
        assertSigned(first, secret);
        assertSigned(retry, secret);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(Duration.between(first.at(), retry.at())).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(first.headers()).containsEntry("x-vreg-event", "entries.deleted")
                .containsEntry("content-type", "application/json");
        JsonObject payload = first.json();
        assertThat(payload.getString("kind")).isEqualTo("entries.deleted");
        assertThat(payload.getString("group")).isEqualTo("acme");
        assertThat(payload.getString("id")).isNotBlank();
        JsonObject event = payload.getJsonObject("event");
        assertThat(event.getString("action")).isEqualTo("registry.cache.purged");
        assertThat(event.getString("registry")).isEqualTo("main");
        assertThat(event.getJsonObject("after")).isEqualTo(purge);

        JsonObject delivery = settled(id);
        assertThat(delivery.getString("state")).isEqualTo("delivered");
        assertThat(delivery.getInteger("attempts")).isEqualTo(2);
        assertThat(delivery.getInteger("lastStatus")).isEqualTo(200);
        assertThat(delivery.getString("lastResponse")).isEqualTo("thanks 2");
        assertThat(delivery.getString("event")).isEqualTo("entries.deleted");
        assertThat(first.headers()).containsEntry("x-vreg-delivery", Long.toString(delivery.getLong("id")));
        assertThat(delivery.getJsonObject("payload")).isEqualTo(payload);

        // The secret is kept encrypted, and the audit event of the webhook's creation masks it.
        Row row = f.vreg.pool().preparedQuery("SELECT secret FROM webhooks WHERE id = $1")
                .execute(io.vertx.sqlclient.Tuple.of(id)).await().iterator().next();
        assertThat(new String(row.getBuffer("secret").getBytes(), StandardCharsets.ISO_8859_1)).doesNotContain(
                secret);
        flush();
        JsonObject created = expect(f.api.get("/api/v1/groups/acme/audit-events?action=webhook.created", ADMIN),
                200).getJsonArray("events").getJsonObject(0);
        assertThat(created.getJsonObject("after").getString("secret")).isEqualTo("***");
        assertThat(created.encode()).doesNotContain(secret);
    }

    @Test
    void aDeliveryThatKeepsFailingStopsAfterItsAttemptsWithTheLastAnswerLogged() throws Exception {
        long id = webhook("/always", "upstream.test.failed").getLong("id");
        long closed = f.upstream("acme", "http://127.0.0.1:9");
        JsonObject report = expect(f.api.post("/api/v1/groups/acme/upstreams/" + closed + "/test", ADMIN, null),
                200);
        assertThat(report.getString("state")).isEqualTo("failed");
        flush();
        JsonObject payload = next("/always").json();
        assertThat(payload.getString("kind")).isEqualTo("upstream.test.failed");
        assertThat(payload.getJsonObject("event").getString("target"))
                .isEqualTo("/groups/acme/upstreams/" + closed + "/test");
        JsonObject delivery = settled(id);
        assertThat(delivery.getString("state")).isEqualTo("failed");
        assertThat(delivery.getInteger("attempts")).isEqualTo(3);
        assertThat(delivery.getInteger("lastStatus")).isEqualTo(500);
        assertThat(delivery.getString("lastResponse")).isEqualTo("receiver down 3");
        assertThat(received.get("/always")).hasSize(2);
        // A successful connection test is no failure.
        expect(f.api.post("/api/v1/groups/acme/upstreams/" + upstreamId + "/test", ADMIN, null), 200);
        flush();
        assertThat(deliveries(id)).hasSize(1);
    }

    @Test
    void aBlockedPullIsSentToTheWebhooksThatChoseIt() throws Exception {
        long blocked = webhook("/blocked", "request.blocked").getLong("id");
        long other = webhook("/other", "policy.run.finished").getLong("id");
        expect(f.api.put("/api/v1/groups/acme/registries/main/filters", ADMIN, new JsonObject()
                .put("rules", new JsonArray().add(new JsonObject().put("action", "deny")
                        .put("pattern", BETA.path()).put("reason", "not here")))), 200);
        assertThat(f.api.get("/go/acme/main" + BETA.infoPath(), null).status()).isEqualTo(403);
        flush();
        JsonObject payload = next("/blocked").json();
        assertThat(payload.getString("kind")).isEqualTo("request.blocked");
        assertThat(payload.getString("group")).isEqualTo("acme");
        assertThat(payload.getJsonObject("event").getString("module")).isEqualTo(BETA.path());
        assertThat(payload.getJsonObject("event").getString("reason")).contains("not here");
        assertThat(settled(blocked).getString("state")).isEqualTo("delivered");
        assertThat(deliveries(other)).isEmpty();
    }

    @Test
    void theTestEventIsSentAtOnceAndLogged() throws Exception {
        JsonObject hook = expect(f.api.post("/api/v1/groups/acme/webhooks", ADMIN, new JsonObject()
                .put("url", base + "/tests").put("events", new JsonArray().add("policy.run.finished"))
                .put("secret", "a-secret-of-our-own-choosing")), 201);
        assertThat(hook.containsKey("secret")).isFalse();
        JsonObject delivery = expect(f.api.post("/api/v1/groups/acme/webhooks/" + hook.getLong("id") + "/test",
                ADMIN, null), 200);
        assertThat(delivery.getString("state")).isEqualTo("delivered");
        assertThat(delivery.getInteger("attempts")).isEqualTo(1);
        assertThat(delivery.getInteger("lastStatus")).isEqualTo(200);
        Received r = next("/tests", "webhook.test");
        assertSigned(r, "a-secret-of-our-own-choosing");
        assertThat(r.json().getString("kind")).isEqualTo("webhook.test");
        assertThat(r.headers()).containsEntry("x-vreg-event", "webhook.test");

        // A changed secret signs the next delivery.
        expect(f.api.patch("/api/v1/groups/acme/webhooks/" + hook.getLong("id"), ADMIN,
                new JsonObject().put("secret", "the-second-secret-value")), 200);
        expect(f.api.post("/api/v1/groups/acme/webhooks/" + hook.getLong("id") + "/test", ADMIN, null), 200);
        assertSigned(next("/tests", "webhook.test"), "the-second-secret-value");
    }

    @Test
    void aLifecyclePolicyRunThatEndedIsSent() throws Exception {
        long id = webhook("/runs", "policy.run.finished").getLong("id");
        expect(f.api.put("/api/v1/groups/acme/registries/main/lifecycle", ADMIN,
                new JsonObject().put("unusedDays", 90).put("enabled", false)), 200);
        expect(f.api.post("/api/v1/groups/acme/registries/main/lifecycle/runs", ADMIN, null), 202);
        JsonObject payload = next("/runs").json();
        assertThat(payload.getString("kind")).isEqualTo("policy.run.finished");
        assertThat(payload.getString("group")).isEqualTo("acme");
        JsonObject event = payload.getJsonObject("event");
        assertThat(event.getString("action")).isEqualTo("lifecycle.run.finished");
        assertThat(event.getString("registry")).isEqualTo("main");
        assertThat(event.getJsonObject("after").getString("outcome")).isEqualTo("succeeded");
        assertThat(event.getJsonObject("after").getString("trigger")).isEqualTo("manual");
        assertThat(settled(id).getString("state")).isEqualTo("delivered");
    }

    @Test
    void webhookUrlsFollowTheAddressRuleOfUpstreams() {
        for (String url : List.of("http://169.254.169.254/latest/meta-data", "http://10.1.2.3/hook")) {
            ApiClient.Answer refused = f.api.post("/api/v1/groups/acme/webhooks", ADMIN, new JsonObject()
                    .put("url", url).put("events", new JsonArray().add("entries.deleted")));
            assertThat(refused.status()).as(refused.body()).isEqualTo(422);
            assertThat(refused.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("url");
        }
        ApiClient.Answer unknownKind = f.api.post("/api/v1/groups/acme/webhooks", ADMIN, new JsonObject()
                .put("url", base + "/x").put("events", new JsonArray().add("everything")));
        assertThat(unknownKind.status()).isEqualTo(422);
        String reader = f.member("rhea", "acme", "reader", "read", "write");
        assertThat(f.api.post("/api/v1/groups/acme/webhooks", reader, new JsonObject().put("url", base + "/x")
                .put("events", new JsonArray().add("entries.deleted"))).status()).isEqualTo(403);
        assertThat(f.api.get("/api/v1/groups/acme/webhooks/999999", ADMIN).status()).isEqualTo(404);
    }
}
