package dev.vreg.host.api;

import static dev.vreg.host.api.AdminApiFixture.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.identity.AdminBootstrap;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.StaticGoProxy;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Download counts and tokens' last use are written in batches; none is lost, not even at a stop. */
@Timeout(300)
class DownloadCountsTest {

    static final String ADMIN = "vreg_downloads-admin-token-0123456789abcdefghij";
    static final GoModule ALPHA = GoModule.builder("example.com/alpha", "v1.2.0").build();
    static final GoModule BETA = GoModule.builder("example.com/beta", "v0.1.0").build();

    @TempDir
    static Path temp;

    static StaticGoProxy upstream;

    @BeforeAll
    static void startUpstream() throws Exception {
        upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("upstream")), ALPHA, BETA);
    }

    @AfterAll
    static void stopUpstream() {
        if (upstream != null) {
            upstream.close();
        }
    }

    static VregConfig config(Path dataDir) {
        VregConfig config = TestVreg.config(dataDir, List.of(upstream.baseUrl()));
        config.auth.adminToken = ADMIN;
        return config;
    }

    @Test
    void concurrentPullsOfOneFileAreEachCountedOnce() throws Exception {
        int pulls = 200;
        VregConfig config = config(TestVreg.newDataDir());
        // Batches are written all the time while the pulls run.
        config.cache.downloadsFlushInterval = Duration.ofMillis(5);
        try (VregServer vreg = TestVreg.start(config)) {
            ApiClient api = new ApiClient(vreg.baseUrl());
            String zip = "/go/default/main" + ALPHA.zipPath();
            assertThat(api.get(zip, null).status()).isEqualTo(200);
            ExecutorService clients = Executors.newFixedThreadPool(16);
            try {
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < pulls; i++) {
                    answers.add(clients.submit(() -> new ApiClient(vreg.baseUrl()).get(zip, null).status()));
                }
                for (Future<Integer> answer : answers) {
                    assertThat(answer.get(60, TimeUnit.SECONDS)).isEqualTo(200);
                }
            } finally {
                clients.shutdownNow();
            }
            vreg.downloads().flush().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

            assertThat(entry(api, ALPHA, ".zip").getLong("downloadsCount")).as("the fetch and every hit")
                    .isEqualTo(pulls + 1);
        }
    }

    @Test
    void whatWasRecordedJustBeforeACleanStopIsWritten() throws Exception {
        VregConfig config = config(TestVreg.newDataDir());
        config.cache.downloadsFlushInterval = Duration.ofHours(1);
        config.auth.lastUsedFlushInterval = Duration.ofHours(1);
        try (VregServer vreg = TestVreg.start(config)) {
            ApiClient api = new ApiClient(vreg.baseUrl());
            for (int i = 0; i < 5; i++) {
                assertThat(api.get("/go/default/main" + BETA.modPath(), null).status()).isEqualTo(200);
            }
            expect(api.get("/api/v1/groups", ADMIN), 200);
        }

        config.http.port = TestVreg.freePort();
        try (VregServer vreg = TestVreg.start(config)) {
            ApiClient api = new ApiClient(vreg.baseUrl());
            assertThat(entry(api, BETA, ".mod").getLong("downloadsCount")).isEqualTo(5);
            JsonObject token = api.get("/api/v1/users/" + AdminBootstrap.ADMIN + "/tokens", ADMIN).array()
                    .getJsonObject(0);
            assertThat(token.getString("lastUsedAt")).as("the admin token was used before the stop").isNotNull();
        }
    }

    /** The cache entry of {@code module}'s file ending in {@code suffix}, as the admin API lists it. */
    static JsonObject entry(ApiClient api, GoModule module, String suffix) {
        long upstreamId = api.get("/api/v1/groups/default/upstreams", ADMIN).array().getJsonObject(0).getLong("id");
        return expect(api.get("/api/v1/groups/default/upstreams/" + upstreamId + "/cache?search=" + module.path(),
                ADMIN), 200).getJsonArray("entries").stream().map(JsonObject.class::cast)
                .filter(e -> e.getString("path").endsWith(suffix)).findFirst().orElseThrow();
    }
}
