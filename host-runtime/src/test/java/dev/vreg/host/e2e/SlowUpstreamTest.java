package dev.vreg.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.host.VregServer;
import dev.vreg.host.api.ApiClient;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.support.StoreVerification;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.Fault;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.StaticGoProxy;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstreams that keep sending, but too slowly or for ever: the answer is a prompt 504 naming the upstream and the
 * limit (or, once the leader's body has started, a reset), nothing is cached or remembered, and the next request
 * asks the upstream again. The instance's limits are short here; an upstream's own override them.
 */
class SlowUpstreamTest {

    static final String ADMIN = "vreg_slow-upstream-admin-token-0123456789abcdef";
    static final Duration DEADLINE = Duration.ofSeconds(4);
    static final Duration WINDOW = Duration.ofSeconds(1);

    static final GoModule TRICKLED = GoModule.builder("example.com/trickled", "v1.0.0").build();
    static final GoModule ENDLESS = GoModule.builder("example.com/endless", "v1.0.0").build();
    static final GoModule OVERRIDDEN = GoModule.builder("example.com/overridden", "v1.0.0").build();

    @TempDir
    static Path temp;

    static StaticGoProxy upstream;
    static VregServer vreg;
    static VregConfig config;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws IOException {
        upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("upstream")), TRICKLED, ENDLESS,
                OVERRIDDEN);
        config = TestVreg.config(TestVreg.newDataDir(), List.of(upstream.baseUrl()));
        config.auth.adminToken = ADMIN;
        config.upstreams.readTimeout = Duration.ofSeconds(2);
        config.upstreams.transferDeadline = DEADLINE;
        config.upstreams.minTransferRate = 4096;
        config.upstreams.minTransferRateWindow = WINDOW;
        vreg = TestVreg.start(config);
    }

    /** Whatever the upstream did, nothing cached differs from what its entry records. */
    @AfterEach
    void theStoreIsIntact() {
        StoreVerification.assertIntact(config);
    }

    @AfterAll
    static void stop() {
        vreg.close();
        upstream.close();
    }

    @Test
    void aTricklingUpstreamIsA504AfterOneRateWindowAndIsAskedAgainNextTime() throws Exception {
        upstream.inject(TRICKLED.zipPath(), Fault.trickle(Duration.ofMillis(50)).once());

        long started = System.nanoTime();
        HttpResponse<String> slow = get(TRICKLED.zipPath());
        Duration took = since(started);

        assertThat(slow.statusCode()).isEqualTo(504);
        assertThat(slow.body()).contains("upstream 127.0.0.1:" + upstream.port()).contains("sent only")
                .contains("below the minimum transfer rate of 4 KiB/s");
        assertThat(took).isBetween(WINDOW.multipliedBy(9).dividedBy(10), WINDOW.plusSeconds(4));
        assertThat(entries(TRICKLED.zipPath(), "CONTENT")).isZero();
        awaitNoTemporaryFiles();

        HttpResponse<byte[]> retry = getBytes(TRICKLED.zipPath());
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo(Files.readAllBytes(published(TRICKLED.zipPath())));
        assertThat(upstream.requestCount(TRICKLED.zipPath())).isEqualTo(2);
    }

    @Test
    void anEndlessListIsA504AtTheDeadlineAndIsAskedAgainNextTime() throws Exception {
        // 100 KiB/s keeps the minimum rate: only the deadline can end it.
        upstream.inject(ENDLESS.listPath(), Fault.endlessBody(1024, Duration.ofMillis(10)).once());

        long started = System.nanoTime();
        HttpResponse<String> endless = get(ENDLESS.listPath());
        Duration took = since(started);

        assertThat(endless.statusCode()).isEqualTo(504);
        assertThat(endless.body()).contains("upstream 127.0.0.1:" + upstream.port())
                .contains("when the transfer deadline of 4s passed");
        assertThat(took).isBetween(DEADLINE.multipliedBy(9).dividedBy(10), DEADLINE.plusSeconds(4));
        assertThat(entries(ENDLESS.listPath(), "METADATA")).isZero();

        HttpResponse<String> retry = get(ENDLESS.listPath());
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo("v1.0.0\n");
        assertThat(upstream.requestCount(ENDLESS.listPath())).isEqualTo(2);
    }

    @Test
    void anEndlessZipResetsTheDownloadThatAlreadyStartedAtTheDeadline() throws Exception {
        upstream.inject(ENDLESS.zipPath(), Fault.endlessBody(16 * 1024, Duration.ofMillis(10)).once());

        long started = System.nanoTime();
        HttpResponse<InputStream> endless = HTTP.send(request(ENDLESS.zipPath()),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(endless.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> {
            try (InputStream body = endless.body()) {
                body.transferTo(java.io.OutputStream.nullOutputStream());
            }
        }).isInstanceOf(IOException.class);
        assertThat(since(started)).isBetween(DEADLINE.multipliedBy(9).dividedBy(10), DEADLINE.plusSeconds(4));
        assertThat(entries(ENDLESS.zipPath(), "CONTENT")).isZero();
        awaitNoTemporaryFiles();

        HttpResponse<byte[]> retry = getBytes(ENDLESS.zipPath());
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo(Files.readAllBytes(published(ENDLESS.zipPath())));
        assertThat(upstream.requestCount(ENDLESS.zipPath())).isEqualTo(2);
    }

    @Test
    void anUpstreamsOwnDeadlineAndRateTakeThePlaceOfTheInstances() throws Exception {
        ApiClient api = new ApiClient(vreg.baseUrl());
        long id = api.get("/api/v1/groups/default/upstreams", ADMIN).array().stream().map(JsonObject.class::cast)
                .filter(u -> u.getString("url").equals(upstream.baseUrl())).findFirst().orElseThrow().getLong("id");
        String path = "/api/v1/groups/default/upstreams/" + id;
        JsonObject shown = api.get(path, ADMIN).json();
        assertThat(shown.getValue("transferDeadlineSeconds")).isNull();
        assertThat(shown.getValue("minTransferRate")).isNull();
        assertThat(api.patch(path, ADMIN, new JsonObject().put("transferDeadlineSeconds", 0)).status())
                .isEqualTo(422);
        try {
            ApiClient.Answer changed = api.patch(path, ADMIN, new JsonObject().put("transferDeadlineSeconds", 1)
                    .put("minTransferRate", 0));
            assertThat(changed.status()).as(changed.body()).isEqualTo(200);
            assertThat(changed.json().getLong("transferDeadlineSeconds")).isEqualTo(1);
            assertThat(changed.json().getLong("minTransferRate")).isZero();

            upstream.inject(OVERRIDDEN.listPath(), Fault.endlessBody(1024, Duration.ofMillis(10)).once());
            long started = System.nanoTime();
            HttpResponse<String> endless = get(OVERRIDDEN.listPath());
            assertThat(endless.statusCode()).isEqualTo(504);
            assertThat(endless.body()).contains("when the transfer deadline of 1s passed");
            assertThat(since(started)).isLessThan(DEADLINE.minusMillis(500));

            // No minimum rate for this upstream any more: a trickle that fits in its deadline arrives whole.
            upstream.inject(OVERRIDDEN.infoPath(), Fault.trickle(Duration.ofMillis(5)).once());
            HttpResponse<String> trickled = get(OVERRIDDEN.infoPath());
            assertThat(trickled.statusCode()).as(trickled.body()).isEqualTo(200);
            assertThat(trickled.body()).isEqualTo(OVERRIDDEN.infoJson());
        } finally {
            assertThat(api.patch(path, ADMIN, new JsonObject().put("transferDeadlineSeconds", DEADLINE.toSeconds())
                    .put("minTransferRate", 4096)).status()).isEqualTo(200);
        }
    }

    static HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create(vreg.baseUrl() + "/go/default/main" + path))
                .timeout(Duration.ofSeconds(60)).build();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(request(path), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static HttpResponse<byte[]> getBytes(String path) throws Exception {
        return HTTP.send(request(path), HttpResponse.BodyHandlers.ofByteArray());
    }

    static Path published(String path) {
        return upstream.root().resolve(path.substring(1));
    }

    static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    static long entries(String path, String kind) throws Exception {
        return vreg.pool().preparedQuery("SELECT count(*) FROM cache_entries WHERE path = $1 AND kind = $2")
                .execute(Tuple.of(path.substring(1), kind)).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS).iterator().next().getLong(0);
    }

    /** A failed fetch removes its temporary file just after the client has its answer. */
    static void awaitNoTemporaryFiles() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (temporaryFiles() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(temporaryFiles()).isZero();
    }

    static long temporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(vreg.config().blobDir().resolve("tmp"))) {
            return files.count();
        }
    }
}
