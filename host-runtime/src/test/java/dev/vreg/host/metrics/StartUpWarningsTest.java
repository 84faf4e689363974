package dev.vreg.host.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.vreg.host.VregServer;
import dev.vreg.host.api.ApiClient;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.support.LogCapture;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.StaticGoProxy;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A start of vreg on its embedded default says nothing at WARN or above, and no meter is registered twice while it
 * serves pulls (Micrometer warns of that once per JVM and then only at DEBUG, so the test listens at DEBUG).
 */
@Timeout(300)
class StartUpWarningsTest {

    static final String ADMIN = "vreg_startup-admin-token-0123456789abcdefghij";
    static final GoModule MODULE = GoModule.builder("example.com/quiet", "v1.0.0").build();

    @TempDir
    Path temp;

    @Test
    void startingAndServingLogNoWarning() throws Exception {
        Logger meterLog = (Logger) LoggerFactory.getLogger(MeterRegistry.class);
        Level before = meterLog.getLevel();
        meterLog.setLevel(Level.DEBUG);
        try (StaticGoProxy upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("up")), MODULE);
             LogCapture log = LogCapture.attach()) {
            VregConfig config = TestVreg.config(TestVreg.newDataDir(), List.of(upstream.baseUrl()));
            config.auth.adminToken = ADMIN;
            config.cache.downloadsFlushInterval = Duration.ofHours(1);
            try (VregServer vreg = TestVreg.start(config)) {
                assertThat(log.lines(Level.WARN)).as("warnings at start-up").isEmpty();

                // Several connections to vreg, to the upstream and to the database.
                for (int i = 0; i < 3; i++) {
                    for (String path : List.of(MODULE.infoPath(), MODULE.modPath(), MODULE.zipPath())) {
                        assertThat(new ApiClient(vreg.baseUrl()).get("/go/default/main" + path, null).status())
                                .isEqualTo(200);
                    }
                }
                // A second group's upstream at the same address: a client of its own, so a second connection
                // pool to one endpoint.
                ApiClient api = new ApiClient(vreg.baseUrl());
                assertThat(api.post("/api/v1/groups", ADMIN, new JsonObject().put("name", "other")).status())
                        .isEqualTo(201);
                assertThat(api.post("/api/v1/groups/other/registries", ADMIN,
                        new JsonObject().put("name", "go").put("format", "go")).status()).isEqualTo(201);
                ApiClient.Answer created = api.post("/api/v1/groups/other/upstreams", ADMIN,
                        new JsonObject().put("kind", "goproxy").put("url", upstream.baseUrl()));
                assertThat(created.status()).isEqualTo(201);
                assertThat(api.post("/api/v1/groups/other/registries/go/upstreams", ADMIN,
                        new JsonObject().put("upstreamId", created.json().getLong("id"))).status()).isEqualTo(201);
                assertThat(api.get("/go/other/go" + MODULE.infoPath(), ADMIN).status()).isEqualTo(200);
                assertThat(new ApiClient(vreg.baseUrl()).get("/metrics", null).body())
                        .contains("vreg_api_requests_seconds_count{status=\"2xx\"}")
                        .contains("vreg_pull_requests_seconds_count");
                assertThat(log.lines()).as("meters registered twice")
                        .noneMatch(line -> line.contains("has been already registered"));
                assertThat(log.lines(Level.WARN)).isEmpty();
            }
        } finally {
            meterLog.setLevel(before);
        }
    }

    @Test
    void thePullThatCreatedAnEntryIsItsFirstDownload() throws Exception {
        try (StaticGoProxy upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("up")), MODULE)) {
            VregConfig config = TestVreg.config(TestVreg.newDataDir(), List.of(upstream.baseUrl()));
            config.auth.adminToken = ADMIN;
            // No batch is written during the test: what the listing shows was written with the entry.
            config.cache.downloadsFlushInterval = Duration.ofHours(1);
            try (VregServer vreg = TestVreg.start(config)) {
                ApiClient api = new ApiClient(vreg.baseUrl());
                assertThat(api.get("/go/default/main" + MODULE.zipPath(), null).status()).isEqualTo(200);
                JsonObject zip = entry(api, ".zip");
                assertThat(zip.getLong("downloadsCount")).isEqualTo(1);
                assertThat(zip.getString("lastDownloadedAt")).isNotNull();

                // A HEAD that caches the file downloads nothing.
                assertThat(api.head("/go/default/main" + MODULE.modPath(), null).status()).isEqualTo(200);
                assertThat(entry(api, ".mod").getLong("downloadsCount")).isZero();

                // Later pulls are counted by the batches, on top of the first.
                assertThat(api.get("/go/default/main" + MODULE.zipPath(), null).status()).isEqualTo(200);
                assertThat(api.get("/go/default/main" + MODULE.modPath(), null).status()).isEqualTo(200);
                // A pull is recorded once its response has ended, which may be just after the client read it.
                long zips = 0;
                long mods = 0;
                for (long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                     (zips != 2 || mods != 1) && System.nanoTime() < end; Thread.sleep(50)) {
                    vreg.downloads().flush().toCompletionStage().toCompletableFuture().get();
                    zips = entry(api, ".zip").getLong("downloadsCount");
                    mods = entry(api, ".mod").getLong("downloadsCount");
                }
                assertThat(zips).isEqualTo(2);
                assertThat(mods).isEqualTo(1);
            }
        }
    }

    static JsonObject entry(ApiClient api, String suffix) {
        long upstreamId = api.get("/api/v1/groups/default/upstreams", ADMIN).array().getJsonObject(0).getLong("id");
        ApiClient.Answer listed = api.get("/api/v1/groups/default/upstreams/" + upstreamId + "/cache?search="
                + MODULE.path(), ADMIN);
        assertThat(listed.status()).isEqualTo(200);
        return listed.json().getJsonArray("entries").stream().map(JsonObject.class::cast)
                .filter(e -> e.getString("path").endsWith(suffix)).findFirst().orElseThrow();
    }
}
