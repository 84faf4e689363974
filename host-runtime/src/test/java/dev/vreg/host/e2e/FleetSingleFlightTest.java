package dev.vreg.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.host.VregServer;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.db.postgres.EmbeddedPostgres;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.Fault;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.StaticGoProxy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several nodes on one PostgreSQL and one blob store in front of one slow upstream: a file nobody has cached yet is
 * fetched once for the whole fleet, however many clients ask however many nodes at once, and when the node fetching
 * it dies (SIGKILL, in a JVM of its own) another node takes the fetch over.
 */
@Timeout(300)
class FleetSingleFlightTest {

    static final String ADMIN = "vreg_fleet-admin-token-0123456789abcdefghijklmnop";
    static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    static final String PREFIX = "/go/default/main";

    @TempDir
    Path temp;

    /** A node's configuration: the shared database and blob directory, the default registry in front of {@code goUpstreams}. */
    static VregConfig node(String url, Path dataDir, Path blobs, String adminToken, String key,
                           List<String> goUpstreams) {
        VregConfig config = TestVreg.config(dataDir, goUpstreams);
        config.database.url = url;
        config.storage.path = blobs;
        config.auth.adminToken = adminToken;
        config.security.encryptionKey = key;
        return config;
    }

    /** Each body as its SHA-256, so that many bodies in flight at once need not all be held. */
    static final HttpResponse.BodyHandler<String> SHA256 = info -> HttpResponse.BodySubscribers.mapping(
            HttpResponse.BodySubscribers.ofByteArray(), FleetSingleFlightTest::sha256);

    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static GoModule module(String path, long seed) {
        byte[] data = new byte[256 << 10];
        new Random(seed).nextBytes(data);
        return GoModule.builder(path, "v1.0.0").stored().file("data.bin", data).build();
    }

    static String url(EmbeddedPostgres database) {
        return "postgresql://" + database.user() + ":" + database.password() + "@" + database.host() + ":"
                + database.port() + "/" + database.database();
    }

    byte[] zipOf(GoModule module) throws IOException {
        Path zip = temp.resolve(module.path().replace('/', '_') + ".zip");
        module.writeZip(zip);
        return Files.readAllBytes(zip);
    }

    @Test
    void manyClientsOnThreeNodesCauseOneUpstreamFetch() throws Exception {
        GoModule cold = module("example.com/fleet/cold", 1);
        try (EmbeddedPostgres database = EmbeddedPostgres.start(TestVreg.newDataDir());
             StaticGoProxy upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("upstream")), cold)) {
            upstream.inject(cold.zipPath(), Fault.delay(Duration.ofSeconds(2)));
            List<String> upstreams = List.of(upstream.baseUrl());
            Path blobs = temp.resolve("blobs");
            try (VregServer a = TestVreg.start(node(url(database), TestVreg.newDataDir(), blobs, ADMIN, KEY, upstreams));
                 VregServer b = TestVreg.start(node(url(database), TestVreg.newDataDir(), blobs, ADMIN, KEY, upstreams));
                 VregServer c = TestVreg.start(node(url(database), TestVreg.newDataDir(), blobs, ADMIN, KEY,
                         upstreams))) {
                List<String> nodes = List.of(a.baseUrl(), b.baseUrl(), c.baseUrl());
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
                for (int i = 0; i < 120; i++) {
                    answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create(nodes.get(i % nodes.size())
                                    + PREFIX + cold.zipPath())).timeout(Duration.ofSeconds(60)).build(),
                            SHA256));
                }
                byte[] expected = zipOf(cold);
                for (CompletableFuture<HttpResponse<String>> answer : answers) {
                    HttpResponse<String> response = answer.get(90, TimeUnit.SECONDS);
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThat(response.body()).as("the body's SHA-256").isEqualTo(sha256(expected));
                }
                assertThat(upstream.requestCount(cold.zipPath())).as("upstream fetches of the zip").isEqualTo(1);

                // Asked again later, every node serves the committed copy.
                for (String node : nodes) {
                    HttpResponse<byte[]> again = http.send(HttpRequest.newBuilder(URI.create(node + PREFIX
                            + cold.zipPath())).build(), HttpResponse.BodyHandlers.ofByteArray());
                    assertThat(again.statusCode()).isEqualTo(200);
                    assertThat(again.body()).isEqualTo(expected);
                }
                assertThat(upstream.requestCount(cold.zipPath())).isEqualTo(1);
            }
        }
    }

    @Test
    void whenTheFetchingNodeIsKilledAnotherNodeFetches() throws Exception {
        GoModule cold = module("example.com/fleet/orphaned", 2);
        try (EmbeddedPostgres database = EmbeddedPostgres.start(TestVreg.newDataDir());
             StaticGoProxy upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("upstream")), cold)) {
            List<String> upstreams = List.of(upstream.baseUrl());
            Path blobs = temp.resolve("blobs");
            try (VregServer survivor = TestVreg.start(node(url(database), TestVreg.newDataDir(), blobs, ADMIN, KEY,
                    upstreams))) {
                Process doomed = startNode(url(database), TestVreg.newDataDir(), blobs, upstream.baseUrl());
                try {
                    String doomedUrl = awaitUrl(doomed);
                    // The first fetch hangs at the upstream; the next one is answered at once.
                    upstream.inject(cold.zipPath(), Fault.delay(Duration.ofSeconds(120)).once());
                    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                    CompletableFuture<HttpResponse<byte[]>> onDoomed = http.sendAsync(HttpRequest.newBuilder(
                            URI.create(doomedUrl + PREFIX + cold.zipPath())).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    awaitRequests(upstream, cold.zipPath(), 1);

                    CompletableFuture<HttpResponse<byte[]>> onSurvivor = http.sendAsync(HttpRequest.newBuilder(
                            URI.create(survivor.baseUrl() + PREFIX + cold.zipPath()))
                            .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
                    // The survivor waits for the lock the doomed node holds, and does not fetch meanwhile.
                    Thread.sleep(1_500);
                    assertThat(onSurvivor).isNotDone();
                    assertThat(upstream.requestCount(cold.zipPath())).isEqualTo(1);

                    doomed.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                    HttpResponse<byte[]> response = onSurvivor.get(60, TimeUnit.SECONDS);
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThat(response.body()).isEqualTo(zipOf(cold));
                    assertThat(upstream.requestCount(cold.zipPath())).as("the doomed fetch and the survivor's")
                            .isEqualTo(2);
                    assertThatThrownBy(() -> onDoomed.get(30, TimeUnit.SECONDS))
                            .as("the killed node's own client").isInstanceOf(ExecutionException.class);
                } finally {
                    doomed.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** A node in a JVM of its own; {@code s3} (endpoint, bucket) puts its blobs in that bucket instead. */
    static Process startNode(String url, Path dataDir, Path blobs, String upstream, String... s3) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dvreg.plugins.dir=" + TestVreg.pluginsDir(), "-cp", System.getProperty("java.class.path"),
                FleetNode.class.getName(), url, dataDir.toString(), blobs.toString(), ADMIN, KEY, upstream));
        command.addAll(List.of(s3));
        return new ProcessBuilder(command).redirectError(Redirect.DISCARD).start();
    }

    /** The node's address, once it serves; what it writes afterwards is drained so that it never blocks on output. */
    static String awaitUrl(Process node) throws IOException, InterruptedException {
        BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("URL ")) {
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException e) {
                        // the node is gone
                    }
                }, "fleet-node-output");
                drain.setDaemon(true);
                drain.start();
                return line.substring(4);
            }
        }
        throw new IllegalStateException("the node exited before it served: " + node.waitFor());
    }

    static void awaitRequests(StaticGoProxy upstream, String path, int count) throws InterruptedException {
        for (long deadline = System.nanoTime() + 30_000_000_000L; System.nanoTime() < deadline; Thread.sleep(50)) {
            if (upstream.requestCount(path) >= count) {
                return;
            }
        }
        throw new AssertionError(path + " was not requested " + count + " times");
    }
}
