package dev.vreg.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.api.ApiClient;
import dev.vreg.host.api.ApiClient.Answer;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.support.StoreVerification;
import dev.vreg.host.db.postgres.RunningEmbeddedPostgres;
import dev.vreg.host.support.MovableClock;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.StaticGoProxy;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL dies under a running vreg (SIGKILL of the postmaster): cached modules go on being served,
 * what needs the database answers 503 with {@code Retry-After}, /readyz fails and /healthz does not; vreg restarts
 * the server and everything works again, notifications included. Where the server cannot be restarted, /healthz
 * fails so that the node is replaced.
 *
 * <p>To hold the outage open long enough to look at it, the cluster directory is given permissions PostgreSQL
 * refuses to start with (it checks them at start only), and given back to end it.
 */
class EmbeddedDatabaseRecoveryTest {

    static final String ADMIN = "vreg_recovery-admin-token-0123456789abcdefghijklmn";
    static final GoModule CACHED = GoModule.builder("example.com/cached", "v1.0.0").build();
    static final GoModule UNCACHED = GoModule.builder("example.com/uncached", "v1.0.0").build();
    static final GoModule LATER = GoModule.builder("example.com/later", "v1.0.0").build();

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path temp;

    @Test
    void aKilledServerIsRestartedAndCachedModulesAreServedMeanwhile() throws Exception {
        Path dataDir = TestVreg.newDataDir();
        try (StaticGoProxy upstream = StaticGoProxy.start(temp.resolve("upstream"), CACHED, UNCACHED, LATER)) {
            VregConfig config = TestVreg.config(dataDir, List.of(upstream.baseUrl()));
            config.auth.adminToken = ADMIN;
            MovableClock clock = new MovableClock();
            try (VregServer vreg = TestVreg.start(config, clock)) {
                RunningEmbeddedPostgres database = RunningEmbeddedPostgres.find(dataDir);
                VregConfig second = TestVreg.config(TestVreg.newDataDir(), List.of(upstream.baseUrl()));
                second.database.url = "postgresql://" + database.user() + ":" + database.password() + "@"
                        + database.host() + ":" + database.port() + "/" + database.database();
                second.storage.path = config.blobDir();
                second.security.encryptionKey = Files.readString(dataDir.resolve("encryption.key")).strip();
                try (VregServer other = TestVreg.start(second)) {
                    outageAndRecovery(vreg, clock, other, upstream, dataDir);
                    // The outage lost nothing and corrupted nothing that was cached.
                    StoreVerification.assertIntact(config);
                }
            }
        }
    }

    private void outageAndRecovery(VregServer vreg, MovableClock clock, VregServer other, StaticGoProxy upstream,
                                   Path dataDir) throws Exception {
        String registry = vreg.baseUrl() + "/go/default/main";
        byte[] zip = get(upstream.baseUrl() + CACHED.zipPath()).body();
        assertThat(get(registry + CACHED.zipPath()).statusCode()).isEqualTo(200);
        assertThat(get(registry + CACHED.modPath()).statusCode()).isEqualTo(200);

        Path pgData = dataDir.resolve("postgres");
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(pgData);
        Files.setPosixFilePermissions(pgData, PosixFilePermissions.fromString("rwxrwxrwx"));
        killPostmaster(pgData);
        awaitTrue(() -> get(vreg.baseUrl() + "/readyz").statusCode() == 503, Duration.ofSeconds(10));

        HttpResponse<byte[]> cached = get(registry + CACHED.zipPath());
        assertThat(cached.statusCode()).isEqualTo(200);
        assertThat(cached.body()).isEqualTo(zip);
        assertThat(get(registry + CACHED.modPath()).body()).isEqualTo(CACHED.modBytes());
        // Past the time the registry and the hit are reused without asking, they are still served from memory.
        clock.advance(Duration.ofSeconds(61));
        assertThat(get(registry + CACHED.zipPath()).body()).isEqualTo(zip);
        assertThat(get(registry + CACHED.modPath()).body()).isEqualTo(CACHED.modBytes());

        HttpResponse<byte[]> uncached = get(registry + UNCACHED.infoPath());
        assertThat(uncached.statusCode()).isEqualTo(503);
        assertThat(uncached.headers().firstValue("Retry-After")).hasValueSatisfying(v ->
                assertThat(Integer.parseInt(v)).isPositive());
        assertThat(uncached.headers().firstValue("Content-Type")).hasValueSatisfying(v ->
                assertThat(v).startsWith("text/plain"));
        assertThat(text(uncached)).contains("database").doesNotContain("upstream");
        assertThat(upstream.requestCount(UNCACHED.infoPath())).isZero();

        Answer groups = new ApiClient(vreg.baseUrl()).get("/api/v1/groups", ADMIN);
        assertThat(groups.status()).isEqualTo(503);
        assertThat(groups.contentType()).startsWith("application/problem+json");
        assertThat(groups.header("Retry-After")).isNotNull();
        assertThat(groups.json().getString("detail")).contains("database");

        assertThat(get(vreg.baseUrl() + "/readyz").statusCode()).isEqualTo(503);
        assertThat(get(vreg.baseUrl() + "/healthz").statusCode()).isEqualTo(200);
        assertThat(get(other.baseUrl() + "/healthz").statusCode()).isEqualTo(200);

        Files.setPosixFilePermissions(pgData, permissions);
        awaitTrue(() -> get(vreg.baseUrl() + "/readyz").statusCode() == 200, Duration.ofSeconds(30));
        awaitTrue(() -> get(other.baseUrl() + "/readyz").statusCode() == 200, Duration.ofSeconds(10));
        assertThat(get(vreg.baseUrl() + "/healthz").statusCode()).isEqualTo(200);

        HttpResponse<byte[]> fetched = get(registry + LATER.modPath());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(LATER.modBytes());
        assertThat(get(registry + UNCACHED.infoPath()).statusCode()).isEqualTo(200);
        assertThat(new ApiClient(vreg.baseUrl()).get("/api/v1/groups", ADMIN).status()).isEqualTo(200);

        // Both nodes listen again, so a change made through either one's API reaches the other at once (well
        // within the registry directory's own time-to-live).
        awaitTrue(() -> listeners(vreg) == 2, Duration.ofSeconds(10));
        String otherRegistry = other.baseUrl() + "/go/default/main";
        assertThat(get(otherRegistry + CACHED.modPath()).statusCode()).isEqualTo(200);
        assertThat(new ApiClient(vreg.baseUrl()).patch("/api/v1/groups/default/registries/main", ADMIN,
                new JsonObject().put("public", false)).status()).isEqualTo(200);
        awaitTrue(() -> get(otherRegistry + CACHED.modPath()).statusCode() == 401, Duration.ofSeconds(5));
        assertThat(get(registry + CACHED.modPath()).statusCode()).isEqualTo(401);
        assertThat(new ApiClient(other.baseUrl()).patch("/api/v1/groups/default/registries/main", ADMIN,
                new JsonObject().put("public", true)).status()).isEqualTo(200);
        awaitTrue(() -> get(registry + CACHED.modPath()).statusCode() == 200, Duration.ofSeconds(5));
    }

    @Test
    void aServerThatCannotBeRestartedFailsTheLivenessCheck() throws Exception {
        Path dataDir = TestVreg.newDataDir();
        VregConfig config = TestVreg.config(dataDir, List.of("http://127.0.0.1:9"));
        config.database.recoveryTimeout = Duration.ofSeconds(3);
        try (VregServer vreg = TestVreg.start(config)) {
            Path pgData = dataDir.resolve("postgres");
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(pgData);
            Files.setPosixFilePermissions(pgData, PosixFilePermissions.fromString("rwxrwxrwx"));
            try {
                killPostmaster(pgData);
                awaitTrue(() -> get(vreg.baseUrl() + "/healthz").statusCode() == 503, Duration.ofSeconds(30));
                HttpResponse<byte[]> health = get(vreg.baseUrl() + "/healthz");
                assertThat(text(health)).contains("could not be restarted");
                assertThat(get(vreg.baseUrl() + "/readyz").statusCode()).isEqualTo(503);
            } finally {
                Files.setPosixFilePermissions(pgData, permissions);
            }
        }
    }

    /** SIGKILL to the postmaster named in postmaster.pid, as the OOM killer or an operator's kill -9 sends it. */
    private static void killPostmaster(Path pgData) throws IOException, InterruptedException {
        long pid = Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        assertThat(postmaster.destroyForcibly()).isTrue();
        awaitTrue(() -> !Files.exists(Path.of("/proc", Long.toString(pid), "cmdline"))
                || !postmaster.isAlive() || zombie(pid), Duration.ofSeconds(10));
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }

    /** Connections of either node that LISTEN for changes. */
    private static long listeners(VregServer vreg) {
        try {
            return vreg.pool().query("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN %'")
                    .execute().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                    .iterator().next().getLong(0);
        } catch (Exception e) {
            return -1;
        }
    }

    private static HttpResponse<byte[]> get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static void awaitTrue(BooleanSupplier condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within %s", within).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
