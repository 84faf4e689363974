package dev.vreg.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.host.VregServer;
import dev.vreg.host.support.RawDownload;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.FileContent;
import dev.vreg.testkit.go.Fault;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.StaticGoProxy;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One upstream fetch however many clients ask, and nothing cached from a broken transfer. */
class FetchRobustnessTest {

    @TempDir
    static Path temp;

    static final GoModule POPULAR = GoModule.builder("example.com/popular", "v1.0.0")
            .file("data.bin", FileContent.pseudoRandom(7, 8L << 20)).stored().build();
    static final GoModule FLAKY = GoModule.builder("example.com/flaky", "v1.0.0")
            .file("data.bin", FileContent.pseudoRandom(8, 4L << 20)).stored().build();

    static final GoModule LOST = GoModule.builder("example.com/lost", "v1.0.0").build();
    static final GoModule SHORTENED = GoModule.builder("example.com/shortened", "v1.0.0")
            .file("data.bin", FileContent.pseudoRandom(10, 300 << 10)).stored().build();

    static final GoModule STALLED = GoModule.builder("example.com/stalled", "v1.0.0")
            .file("data.bin", FileContent.pseudoRandom(9, 24L << 20)).stored().build();

    static StaticGoProxy upstream;
    static VregServer vreg;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws IOException {
        upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("upstream")), POPULAR, FLAKY,
                STALLED, LOST, SHORTENED);
        vreg = TestVreg.start(TestVreg.config(TestVreg.newDataDir(), List.of(upstream.baseUrl())));
    }

    @AfterAll
    static void stop() {
        vreg.close();
        upstream.close();
    }

    static URI url(String path) {
        return URI.create(vreg.baseUrl() + "/go/default/main" + path);
    }

    @Test
    void aCachedFileWhoseBlobWentMissingIsFetchedAgainInsteadOfLost() throws Exception {
        byte[] zip = Files.readAllBytes(upstream.root().resolve(LOST.zipPath().substring(1)));
        assertThat(HTTP.send(HttpRequest.newBuilder(url(LOST.zipPath())).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body()).isEqualTo(zip);
        try (var blobs = Files.walk(vreg.config().blobDir())) {
            for (Path blob : blobs.filter(Files::isRegularFile).toList()) {
                Files.delete(blob);
            }
        }
        HttpResponse<byte[]> again = HTTP.send(HttpRequest.newBuilder(url(LOST.zipPath())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(zip);
        assertThat(upstream.requestCount(LOST.zipPath())).isEqualTo(2);
        // Healed: the next request is served from the cache again.
        assertThat(HTTP.send(HttpRequest.newBuilder(url(LOST.zipPath())).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body()).isEqualTo(zip);
        assertThat(upstream.requestCount(LOST.zipPath())).isEqualTo(2);
    }

    @Test
    void aCachedFileWhoseBlobLostBytesOnDiskIsFetchedAgainAndServedWhole() throws Exception {
        byte[] zip = Files.readAllBytes(upstream.root().resolve(SHORTENED.zipPath().substring(1)));
        assertThat(HTTP.send(HttpRequest.newBuilder(url(SHORTENED.zipPath())).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body()).isEqualTo(zip);
        String digest = sha256(new java.io.ByteArrayInputStream(zip));
        Path blob = vreg.config().blobDir().resolve("sha256").resolve(digest.substring(0, 2)).resolve(digest);
        try (FileChannel file = FileChannel.open(blob, StandardOpenOption.WRITE)) {
            file.truncate(zip.length / 3);
        }

        HttpResponse<byte[]> again = HTTP.send(HttpRequest.newBuilder(url(SHORTENED.zipPath())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(zip);
        assertThat(upstream.requestCount(SHORTENED.zipPath())).isEqualTo(2);
        assertThat(blob).hasBinaryContent(zip);
        HttpResponse<byte[]> cached = HTTP.send(HttpRequest.newBuilder(url(SHORTENED.zipPath())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(cached.body()).isEqualTo(zip);
        assertThat(upstream.requestCount(SHORTENED.zipPath())).isEqualTo(2);
    }

    @Test
    void fiftyConcurrentRequestsForAnUncachedZipMakeOneUpstreamRequest() throws Exception {
        ExecutorService readers = Executors.newFixedThreadPool(50);
        try {
            List<CompletableFuture<String>> digests = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                digests.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        HttpResponse<InputStream> response = HTTP.send(
                                HttpRequest.newBuilder(url(POPULAR.zipPath())).build(),
                                HttpResponse.BodyHandlers.ofInputStream());
                        assertThat(response.statusCode()).isEqualTo(200);
                        return sha256(response.body());
                    } catch (IOException | InterruptedException e) {
                        throw new CompletionException(e);
                    }
                }, readers));
            }
            String expected = sha256(Files.newInputStream(zipOf(POPULAR)));
            for (CompletableFuture<String> digest : digests) {
                assertThat(digest.get(2, TimeUnit.MINUTES)).isEqualTo(expected);
            }
            assertThat(upstream.requestCount(POPULAR.zipPath())).isEqualTo(1);
        } finally {
            readers.shutdownNow();
        }
    }

    @Test
    void aLeaderThatStopsReadingDoesNotHoldUpTheOthers() throws Exception {
        String path = "/go/default/main" + STALLED.zipPath();
        try (java.net.Socket leader = new java.net.Socket("127.0.0.1", vreg.port())) {
            leader.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            leader.getOutputStream().flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (upstream.requestCount(STALLED.zipPath()) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            String expected = sha256(Files.newInputStream(zipOf(STALLED)));
            HttpResponse<InputStream> follower = HTTP.send(HttpRequest.newBuilder(url(STALLED.zipPath())).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(follower.statusCode()).isEqualTo(200);
            assertThat(sha256(follower.body())).isEqualTo(expected);

            InputStream in = leader.getInputStream();
            String head = RawDownload.readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200");
            long length = Long.parseLong(head.replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
            assertThat(sha256(new org.apache.commons.io.input.BoundedInputStream.Builder()
                    .setInputStream(in).setMaxCount(length).get())).isEqualTo(expected);
        }
        assertThat(upstream.requestCount(STALLED.zipPath())).isEqualTo(1);
    }

    @Test
    void aConnectionDroppedMidZipLeavesNothingBehindAndTheNextRequestSucceeds() throws Exception {
        upstream.inject(FLAKY.zipPath(), Fault.dropConnectionAfter(1 << 20).once());

        assertThatThrownBy(() -> {
            HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(url(FLAKY.zipPath())).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new IOException("status " + response.statusCode());
            }
            sha256(response.body());
        }).isInstanceOf(IOException.class);

        assertThat(contentEntries(FLAKY.zipPath())).isZero();
        // The client sees the reset before the server has finished removing the temporary file.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (temporaryFiles() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(temporaryFiles()).isZero();

        HttpResponse<InputStream> retry = HTTP.send(HttpRequest.newBuilder(url(FLAKY.zipPath())).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(sha256(retry.body())).isEqualTo(sha256(Files.newInputStream(zipOf(FLAKY))));
        assertThat(upstream.requestCount(FLAKY.zipPath())).isEqualTo(2);
        assertThat(contentEntries(FLAKY.zipPath())).isOne();
    }

    static long temporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(vreg.config().blobDir().resolve("tmp"))) {
            return files.count();
        }
    }

    static long contentEntries(String path) throws Exception {
        return vreg.pool().preparedQuery("SELECT count(*) FROM cache_entries WHERE path = $1 AND kind = 'CONTENT'")
                .execute(Tuple.of(path.substring(1))).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .iterator().next().getLong(0);
    }

    static Path zipOf(GoModule module) throws IOException {
        Path zip = temp.resolve(module.path().replace('/', '_') + ".zip");
        if (!Files.exists(zip)) {
            module.writeZip(zip);
        }
        return zip;
    }

    static String sha256(InputStream in) throws IOException {
        try (in) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
