package dev.vreg.host.e2e;

import static dev.vreg.host.e2e.FleetSingleFlightTest.ADMIN;
import static dev.vreg.host.e2e.FleetSingleFlightTest.KEY;
import static dev.vreg.host.e2e.FleetSingleFlightTest.PREFIX;
import static dev.vreg.host.e2e.FleetSingleFlightTest.SHA256;
import static dev.vreg.host.e2e.FleetSingleFlightTest.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.host.VregServer;
import dev.vreg.host.api.ApiClient;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.db.postgres.EmbeddedPostgres;
import dev.vreg.host.storage.s3.S3Server;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.Fault;
import dev.vreg.testkit.go.FileContent;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.StaticGoProxy;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two vreg nodes on one PostgreSQL (the embedded server, started by the test) and one S3 server (s3proxy), as
 * operators run them behind a load balancer, and the faults of those parts: one fetch for the fleet however many
 * clients ask both nodes; the node leading a fetch killed (SIGKILL, in a JVM of its own) while the other waits; the S3
 * server stopped and started again under load, with a multipart upload cut off half-way; PostgreSQL killed and
 * started again under load. After each: no partial or duplicate entry, every entry's object in the bucket, and both
 * nodes serving again without a restart.
 */
@Timeout(600)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetFaultsOnS3Test {

    static final String BUCKET = "vreg-fleet";
    static final String PREFIX_KEYS = "fleet/";
    static final GoModule WARM = GoModule.builder("example.com/fleet/warm", "v1.0.0").build();
    static final GoModule SMALL = GoModule.builder("example.com/fleet/small", "v1.0.0").build();
    static final GoModule MEMO = GoModule.builder("example.com/fleet/memo", "v1.0.0").build();
    static final GoModule LATE = GoModule.builder("example.com/fleet/late", "v1.0.0").build();
    /** Larger than two upload parts of 5 MiB, so that its upload is a multipart one. */
    static final GoModule BIG = GoModule.builder("example.com/fleet/big", "v1.0.0")
            .file("data/blob.bin", FileContent.pseudoRandom(7, 12L << 20)).stored().build();
    static final GoModule COLD = FleetSingleFlightTest.module("example.com/fleet/s3cold", 3);
    static final GoModule ORPHANED = FleetSingleFlightTest.module("example.com/fleet/s3orphaned", 4);
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path temp;

    static EmbeddedPostgres database;
    static S3Server s3;
    static StallingProxy s3Link;
    static StaticGoProxy upstream;
    static VregServer a;
    static VregServer b;
    /** What the upstream serves, read once before the nodes start, so the upstream's counts are the nodes' alone. */
    static final Map<String, byte[]> UPSTREAM_BYTES = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        database = EmbeddedPostgres.start(TestVreg.newDataDir());
        s3 = S3Server.inMemory().bucket(BUCKET);
        s3Link = new StallingProxy(s3.port());
        upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("upstream")), WARM, SMALL, MEMO, LATE,
                BIG, COLD, ORPHANED);
        for (GoModule module : List.of(WARM, SMALL, MEMO, LATE, BIG, COLD, ORPHANED)) {
            for (String path : List.of(module.infoPath(), module.modPath(), module.zipPath())) {
                UPSTREAM_BYTES.put(path, get(upstream.baseUrl() + path).body());
            }
        }
        upstream.resetCounters();
        a = TestVreg.start(node());
        b = TestVreg.start(node());
    }

    static VregConfig node() {
        VregConfig config = FleetSingleFlightTest.node(FleetSingleFlightTest.url(database), TestVreg.newDataDir(),
                temp.resolve("unused-blobs"), ADMIN, KEY, List.of(upstream.baseUrl()));
        config.storage.type = "s3";
        config.storage.s3 = s3.settings(BUCKET, PREFIX_KEYS);
        config.storage.s3.endpoint = s3Link.endpoint();
        config.storage.collection.interval = Duration.ZERO;
        config.storage.collection.grace = Duration.ofSeconds(1);
        return config;
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable part : new AutoCloseable[] {a, b, upstream, s3Link, s3, database}) {
            if (part != null) {
                part.close();
            }
        }
    }

    @Test
    @Order(1)
    void twoHundredClientsOnBothNodesCauseOneUpstreamFetch() throws Exception {
        upstream.inject(COLD.zipPath(), Fault.delay(Duration.ofSeconds(2)));
        List<String> nodes = List.of(a.baseUrl(), b.baseUrl());
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            answers.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(nodes.get(i % 2) + PREFIX + COLD.zipPath()))
                    .timeout(Duration.ofSeconds(90)).build(), SHA256));
        }
        String expected = sha256(upstreamBytes(COLD.zipPath()));
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get(120, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).as("the body's SHA-256").isEqualTo(expected);
        }
        assertThat(upstream.requestCount(COLD.zipPath())).as("upstream fetches of the zip").isEqualTo(1);
        assertThat(contentEntries(COLD.zipPath())).isEqualTo(1);
        assertThat(s3.keys(BUCKET)).contains(PREFIX_KEYS + "sha256/" + expected.substring(0, 2) + "/" + expected);
        assertEveryEntryHasItsObject();
    }

    @Test
    @Order(2)
    void whenTheNodeLeadingAFetchIsKilledTheWaitingNodeFetchesOnce() throws Exception {
        Process doomed = FleetSingleFlightTest.startNode(FleetSingleFlightTest.url(database), TestVreg.newDataDir(),
                temp.resolve("unused-blobs"), upstream.baseUrl(), s3.endpoint(), BUCKET);
        try {
            String doomedUrl = FleetSingleFlightTest.awaitUrl(doomed);
            upstream.inject(ORPHANED.zipPath(), Fault.delay(Duration.ofSeconds(120)).once());
            CompletableFuture<HttpResponse<byte[]>> onDoomed = HTTP.sendAsync(HttpRequest.newBuilder(
                    URI.create(doomedUrl + PREFIX + ORPHANED.zipPath())).build(), HttpResponse.BodyHandlers.ofByteArray());
            FleetSingleFlightTest.awaitRequests(upstream, ORPHANED.zipPath(), 1);
            CompletableFuture<HttpResponse<byte[]>> onA = HTTP.sendAsync(HttpRequest.newBuilder(
                    URI.create(a.baseUrl() + PREFIX + ORPHANED.zipPath())).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            // A waits for the lock the doomed node holds, and does not fetch meanwhile.
            Thread.sleep(1_500);
            assertThat(onA).isNotDone();
            assertThat(upstream.requestCount(ORPHANED.zipPath())).isEqualTo(1);

            doomed.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            HttpResponse<byte[]> response = onA.get(60, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(upstreamBytes(ORPHANED.zipPath()));
            assertThat(upstream.requestCount(ORPHANED.zipPath())).as("the killed node's fetch and A's").isEqualTo(2);
            assertThatThrownBy(() -> onDoomed.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            HttpResponse<byte[]> onB = get(b.baseUrl() + PREFIX + ORPHANED.zipPath());
            assertThat(onB.statusCode()).isEqualTo(200);
            assertThat(upstream.requestCount(ORPHANED.zipPath())).as("B serves A's commit").isEqualTo(2);
            assertThat(contentEntries(ORPHANED.zipPath())).as("cache entries of the zip").isEqualTo(1);
            assertEveryEntryHasItsObject();
        } finally {
            doomed.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(3)
    void theS3ServerStoppedUnderLoadIs503ThenServesAgainAndTheCutUploadLeavesNothing() throws Exception {
        List<String> warm = List.of(WARM.infoPath(), WARM.modPath(), WARM.zipPath());
        for (String path : warm) {
            assertThat(get(a.baseUrl() + PREFIX + path).statusCode()).isEqualTo(200);
        }
        // The big zip's multipart upload hangs after 2 MiB of its first part; then the server stops.
        s3Link.stallAfter(2L << 20);
        CompletableFuture<HttpResponse<byte[]>> big = HTTP.sendAsync(HttpRequest.newBuilder(
                URI.create(a.baseUrl() + PREFIX + BIG.zipPath())).timeout(Duration.ofSeconds(120)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        awaitTrue(() -> s3Link.stalled() > 0, Duration.ofSeconds(60));
        assertThat(multipartUploads()).as("the upload in progress").hasSize(1);

        try (Load load = new Load(List.of(a, b), List.of(WARM.infoPath(), WARM.modPath(), WARM.zipPath(),
                SMALL.infoPath(), SMALL.modPath()))) {
            s3.stop();
            s3Link.cutAll();
            for (VregServer node : List.of(a, b)) {
                awaitTrue(() -> get(node.baseUrl() + "/readyz").statusCode() == 503, Duration.ofSeconds(20));
                assertThat(text(get(node.baseUrl() + "/readyz"))).contains("\"blobStore\"").contains("DOWN");
            }
            HttpResponse<byte[]> cached = get(b.baseUrl() + PREFIX + WARM.zipPath());
            assertThat(cached.statusCode()).isEqualTo(503);
            assertThat(text(cached)).contains("S3 blob store");
            HttpResponse<byte[]> uncached = get(a.baseUrl() + PREFIX + SMALL.modPath());
            assertThat(uncached.statusCode()).isEqualTo(503);
            assertThat(text(uncached)).contains("S3 blob store").doesNotContain(S3Server.SECRET_KEY);
            big.handle((response, e) -> null).get(120, TimeUnit.SECONDS);
            assertThat(contentEntries(BIG.zipPath())).as("the cut upload committed nothing").isZero();
            load.awaitStatus(503);

            s3.restart();
            for (VregServer node : List.of(a, b)) {
                awaitTrue(() -> get(node.baseUrl() + "/readyz").statusCode() == 200, Duration.ofSeconds(30));
            }
            load.awaitStatusAfterNow(200);
            load.assertOnlyAnswered(Set.of(200, 503));
        }

        HttpResponse<byte[]> fetched = get(b.baseUrl() + PREFIX + BIG.zipPath());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(upstreamBytes(BIG.zipPath()));
        // A zip this large reaches the client while it is still being uploaded; its entry follows the upload.
        awaitTrue(() -> contentEntries(BIG.zipPath()) == 1, Duration.ofSeconds(60));
        for (String path : List.of(SMALL.modPath(), WARM.zipPath())) {
            HttpResponse<byte[]> again = get(a.baseUrl() + PREFIX + path);
            assertThat(again.statusCode()).as(path).isEqualTo(200);
            assertThat(again.body()).as(path).isEqualTo(upstreamBytes(path));
        }
        // The cut upload never became an object: the bucket holds the big zip once, from the fetch after the restart.
        // (Aborting what is left of it is the collector's job, once older than the grace period: s3proxy reports an
        // upload's initiation as the time it is listed, so that age rule is covered by S3BlobStoreTest instead.)
        String bigKey = PREFIX_KEYS + "sha256/" + sha256(upstreamBytes(BIG.zipPath())).substring(0, 2) + "/"
                + sha256(upstreamBytes(BIG.zipPath()));
        assertThat(s3.keys(BUCKET)).filteredOn(bigKey::equals).hasSize(1);
        assertThat(multipartUploads()).allSatisfy(u -> assertThat(u.key()).isEqualTo(bigKey));
        assertThat(contentEntries(BIG.zipPath())).isEqualTo(1);
        assertEveryEntryHasItsObject();
    }

    @Test
    @Order(4)
    void postgresqlRestartedUnderLoadBothNodesRecoverListenAgainAndForgetWhatTheyRemembered() throws Exception {
        List<String> warm = List.of(WARM.infoPath(), WARM.modPath(), WARM.zipPath());
        for (VregServer node : List.of(a, b)) {
            for (String path : warm) {
                assertThat(get(node.baseUrl() + PREFIX + path).statusCode()).isEqualTo(200);
            }
        }
        // B remembers MEMO's entry; the row goes behind its back (no notification), and B still serves its memory.
        assertThat(get(b.baseUrl() + PREFIX + MEMO.modPath()).statusCode()).isEqualTo(200);
        long remembered = System.nanoTime();
        sql("DELETE FROM cache_entries WHERE path = $1", MEMO.modPath().substring(1));
        assertThat(get(b.baseUrl() + PREFIX + MEMO.modPath()).statusCode()).isEqualTo(200);
        assertThat(upstream.requestCount(MEMO.modPath())).isEqualTo(1);

        try (Load load = new Load(List.of(a, b), List.of(WARM.infoPath(), WARM.modPath(), WARM.zipPath(),
                LATE.infoPath()))) {
            killPostmaster(database.pgData());
            for (VregServer node : List.of(a, b)) {
                awaitTrue(() -> get(node.baseUrl() + "/readyz").statusCode() == 503, Duration.ofSeconds(20));
                assertThat(get(node.baseUrl() + "/healthz").statusCode()).isEqualTo(200);
                // Cached files these nodes remember are served; what needs the database waits for it.
                HttpResponse<byte[]> cached = get(node.baseUrl() + PREFIX + WARM.zipPath());
                assertThat(cached.statusCode()).isEqualTo(200);
                assertThat(cached.body()).isEqualTo(upstreamBytes(WARM.zipPath()));
                HttpResponse<byte[]> uncached = get(node.baseUrl() + PREFIX + LATE.modPath());
                assertThat(uncached.statusCode()).isEqualTo(503);
                assertThat(uncached.headers().firstValue("Retry-After")).isPresent();
            }
            load.awaitStatus(503);
            database.restart();
            for (VregServer node : List.of(a, b)) {
                awaitTrue(() -> get(node.baseUrl() + "/readyz").statusCode() == 200, Duration.ofSeconds(30));
            }
            load.awaitStatusAfterNow(200);
            load.assertOnlyAnswered(Set.of(200, 503));
        }
        awaitTrue(() -> listeners() == 2, Duration.ofSeconds(15));

        // The reconnect dropped B's memory: the deleted entry is looked up, found missing and fetched again.
        assertThat(get(b.baseUrl() + PREFIX + MEMO.modPath()).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - remembered))
                .as("well within the 60 s a remembered hit is trusted").isLessThan(Duration.ofSeconds(50));
        assertThat(upstream.requestCount(MEMO.modPath())).isEqualTo(2);

        // Notifications flow again both ways.
        ApiClient onA = new ApiClient(a.baseUrl());
        assertThat(onA.patch("/api/v1/groups/default/registries/main", ADMIN, new JsonObject().put("public", false))
                .status()).isEqualTo(200);
        awaitTrue(() -> get(b.baseUrl() + PREFIX + WARM.modPath()).statusCode() == 401, Duration.ofSeconds(5));
        assertThat(new ApiClient(b.baseUrl()).patch("/api/v1/groups/default/registries/main", ADMIN,
                new JsonObject().put("public", true)).status()).isEqualTo(200);
        awaitTrue(() -> get(a.baseUrl() + PREFIX + WARM.modPath()).statusCode() == 200, Duration.ofSeconds(5));
        for (String path : List.of(LATE.infoPath(), LATE.modPath())) {
            assertThat(get(a.baseUrl() + PREFIX + path).body()).as(path).isEqualTo(upstreamBytes(path));
        }
        assertEveryEntryHasItsObject();
    }

    /** Clients asking both nodes for {@code paths} over and over, every answer kept, until closed. */
    static final class Load implements AutoCloseable {

        record Answer(long at, String path, int status, boolean intact) {
        }

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads = new ArrayList<>();
        private final Map<String, byte[]> expected = new ConcurrentHashMap<>();

        Load(List<VregServer> nodes, List<String> paths) {
            paths.forEach(path -> expected.put(path, upstreamBytes(path)));
            for (int t = 0; t < 4; t++) {
                int first = t;
                Thread thread = new Thread(() -> {
                    for (int i = first; running.get(); i++) {
                        String path = paths.get(i % paths.size());
                        String node = nodes.get(i % nodes.size()).baseUrl();
                        try {
                            HttpResponse<byte[]> answer = HTTP.send(HttpRequest.newBuilder(URI.create(node + PREFIX
                                    + path)).timeout(Duration.ofSeconds(30)).build(),
                                    HttpResponse.BodyHandlers.ofByteArray());
                            answers.add(new Answer(System.nanoTime(), path, answer.statusCode(),
                                    answer.statusCode() != 200 || java.util.Arrays.equals(answer.body(),
                                            expected.get(path))));
                        } catch (IOException e) {
                            answers.add(new Answer(System.nanoTime(), path, -1, false));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "fleet-load-" + t);
                thread.setDaemon(true);
                thread.start();
                threads.add(thread);
            }
        }

        void awaitStatus(int status) throws InterruptedException {
            awaitTrue(() -> answers.stream().anyMatch(x -> x.status() == status), Duration.ofSeconds(30));
        }

        /** Waits until every path has been answered {@code status} since now. */
        void awaitStatusAfterNow(int status) throws InterruptedException {
            long now = System.nanoTime();
            awaitTrue(() -> {
                Set<String> answered = new HashSet<>();
                answers.stream().filter(x -> x.at() > now && x.status() == status).forEach(x -> answered.add(x.path()));
                return answered.containsAll(expected.keySet());
            }, Duration.ofSeconds(30));
        }

        void assertOnlyAnswered(Set<Integer> statuses) {
            assertThat(answers).as("answers under load").isNotEmpty()
                    .allSatisfy(x -> assertThat(x.status()).as(x.toString()).isIn(statuses))
                    .allSatisfy(x -> assertThat(x.intact()).as("the body of " + x).isTrue());
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(40_000);
            }
        }
    }

    static byte[] upstreamBytes(String path) {
        return java.util.Objects.requireNonNull(UPSTREAM_BYTES.get(path), path);
    }

    static long contentEntries(String path) {
        return sql("SELECT count(*) FROM cache_entries WHERE path = $1 AND kind = 'CONTENT'", path.substring(1))
                .get(0).getLong(0);
    }

    /** No entry points at bytes the bucket does not hold (nothing partial was committed, nothing lost). */
    static void assertEveryEntryHasItsObject() {
        Set<String> keys = new HashSet<>(s3.keys(BUCKET));
        List<Row> digests = sql("SELECT DISTINCT blob_digest FROM cache_entries WHERE kind = 'CONTENT'");
        assertThat(digests).isNotEmpty().allSatisfy(row -> {
            String digest = row.getString(0);
            assertThat(keys).contains(PREFIX_KEYS + "sha256/" + digest.substring(0, 2) + "/" + digest);
        });
    }

    static List<software.amazon.awssdk.services.s3.model.MultipartUpload> multipartUploads() throws Exception {
        try (var client = s3.client()) {
            return client.listMultipartUploads(r -> r.bucket(BUCKET)).get(30, TimeUnit.SECONDS).uploads();
        }
    }

    static List<Row> sql(String query, Object... params) {
        try {
            List<Row> rows = new ArrayList<>();
            a.pool().preparedQuery(query).execute(Tuple.from(params)).toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS).forEach(rows::add);
            return rows;
        } catch (Exception e) {
            throw new IllegalStateException("query failed: " + query, e);
        }
    }

    /** Connections of both nodes that LISTEN for changes. */
    static long listeners() {
        try {
            return sql("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN %'").get(0).getLong(0);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** SIGKILL to the postmaster, as the OOM killer or an operator's kill -9 sends it. */
    static void killPostmaster(Path pgData) throws IOException, InterruptedException {
        long pid = Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        assertThat(postmaster.destroyForcibly()).isTrue();
        awaitTrue(() -> !database.running() || !postmaster.isAlive(), Duration.ofSeconds(10));
    }

    static HttpResponse<byte[]> get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    static void awaitTrue(BooleanSupplier condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within %s", within).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
