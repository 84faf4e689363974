package dev.vreg.host.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.support.StoreVerification;
import dev.vreg.host.support.StoreVerification.Run;
import dev.vreg.host.support.TestVreg;
import dev.vreg.host.support.Tmpfs;
import dev.vreg.testkit.go.FileContent;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoResult;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.ModDownload;
import dev.vreg.testkit.go.StaticGoProxy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blob store on a filesystem that is really full (a tmpfs of a few hundred KiB, filled to the last page): every
 * fetch fails as the local store's fault, with a 503 that says so, nothing is committed or remembered as the
 * upstream's refusal, and /readyz and the metrics show it. Once space is freed the same requests, and the go command,
 * get the exact bytes, and {@code vreg verify-store} finds every cached file intact.
 */
@Timeout(600)
class FullBlobStoreTest {

    @TempDir
    static Path temp;

    /** Its zip arrives in several buffers and is still small enough to be held back from the client whole. */
    static final GoModule SMALL = GoModule.builder("example.com/fulldisk", "v1.0.0")
            .file("data.bin", FileContent.pseudoRandom(11, 40 << 10)).stored().build();
    /** Its zip streams to the client before the disk runs out halfway. */
    static final GoModule LARGE = GoModule.builder("example.com/halfdisk", "v1.0.0")
            .file("data.bin", FileContent.pseudoRandom(12, 256 << 10)).stored().build();

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    static StaticGoProxy upstream;
    static Tmpfs disk;
    static Path dataDir;
    static Path configFile;
    static VregServer vreg;
    static VregHttp http;

    @BeforeAll
    static void start() throws IOException {
        upstream = StaticGoProxy.start(temp.resolve("upstream"), SMALL, LARGE);
        dataDir = TestVreg.newDataDir();
        disk = Tmpfs.mount(dataDir.resolve("blobs"), 640);
        VregConfig config = TestVreg.config(dataDir, List.of(upstream.baseUrl()));
        config.storage.path = disk.dir();
        configFile = Files.writeString(temp.resolve("vreg.yaml"),
                "dataDir: " + dataDir + "\nstorage:\n  path: " + disk.dir() + "\n");
        vreg = TestVreg.start(config);
        http = new VregHttp(vreg);
    }

    @AfterAll
    static void stop() {
        if (vreg != null) {
            vreg.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (disk != null) {
            disk.close();
        }
    }

    @Test
    void aFullDiskIsTheLocalStoresFaultAndOnceFreedEveryFileIsServedWhole() throws Exception {
        List<String> paths = List.of(SMALL.modPath(), SMALL.zipPath(), SMALL.infoPath());
        disk.fill();
        try {
            for (String path : paths) {
                for (int attempt = 1; attempt <= 2; attempt++) {
                    HttpResponse<byte[]> answer = http.get(path);
                    assertThat(answer.statusCode()).as(path + " attempt " + attempt).isEqualTo(503);
                    assertThat(VregHttp.text(answer)).as(path)
                            .contains("the local blob store could not write")
                            .contains("No space left on device")
                            .doesNotContainIgnoringCase("upstream")
                            .doesNotContain(disk.dir().toString());
                }
                // Not remembered as a refusal: the second request asked the upstream again.
                assertThat(upstream.requestCount(path)).as(path).isEqualTo(2);
                assertThat(http.entries(path, "CONTENT")).as(path).isZero();
            }
            GoResult failed = go("during").run("mod", "download", SMALL.path() + "@" + SMALL.version())
                    .assertFailure();
            assertThat(failed.stderr()).contains("503 Service Unavailable").contains("local blob store");

            HttpResponse<String> ready = plain("/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"blobStore\"").contains("DOWN");
            assertThat(failures("write")).isGreaterThanOrEqualTo(6);
            awaitNoTemporaryFiles();
        } finally {
            disk.free();
        }

        assertThat(plain("/readyz").statusCode()).isEqualTo(200);
        for (String path : paths) {
            HttpResponse<byte[]> answer = http.get(path);
            assertThat(answer.statusCode()).as(path).isEqualTo(200);
            assertThat(answer.body()).as(path).isEqualTo(upstreamBytes(path));
            // Served from the cache now, whole.
            HttpResponse<byte[]> cached = http.get(path);
            assertThat(cached.headers().firstValue("Content-Length")).hasValue(
                    Long.toString(upstreamBytes(path).length));
            assertThat(cached.body()).as(path).isEqualTo(upstreamBytes(path));
        }
        List<ModDownload> downloads = go("after").modDownloadJson(SMALL.path() + "@" + SMALL.version());
        assertThat(downloads).singleElement().satisfies(d -> {
            assertThat(d.error()).isNull();
            assertThat(d.sum()).isEqualTo(SMALL.zipHash());
            assertThat(d.goModSum()).isEqualTo(SMALL.goModHash());
        });
        assertThat(http.recordedH1(SMALL.modPath())).isEqualTo(SMALL.goModHash());

        Run verified = verifyStore();
        assertThat(verified.exit()).as(verified.err()).isZero();
        assertThat(verified.out()).isEmpty();
        assertThat(verified.err()).contains("0 bad");
    }

    @Test
    void aDiskThatRunsOutHalfwayThroughAStreamedZipLeavesNothingBehind() throws Exception {
        byte[] zip = upstreamBytes(LARGE.zipPath());
        disk.fillLeaving(128 << 10);
        try {
            for (int attempt = 1; attempt <= 2; attempt++) {
                // The body is already streaming when the disk runs out: a reset or a 503, never a 200 with all of it.
                try {
                    HttpResponse<byte[]> answer = http.get(LARGE.zipPath());
                    assertThat(answer.statusCode() == 200 && java.util.Arrays.equals(answer.body(), zip))
                            .as("attempt " + attempt).isFalse();
                } catch (java.io.UncheckedIOException broken) {
                    // The connection was reset, as it must be once part of a body is out.
                }
            }
            assertThat(upstream.requestCount(LARGE.zipPath())).isEqualTo(2);
            assertThat(http.entries(LARGE.zipPath(), "CONTENT")).isZero();
            awaitNoTemporaryFiles();
        } finally {
            disk.free();
        }
        HttpResponse<byte[]> answer = http.get(LARGE.zipPath());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo(zip);
        assertThat(http.get(LARGE.zipPath()).body()).isEqualTo(zip);
    }

    private static GoTool go(String name) throws IOException {
        return GoTool.builder(Files.createDirectories(temp.resolve("go-" + name))).proxy(http.goproxy()).build();
    }

    private static byte[] upstreamBytes(String path) throws IOException {
        return Files.readAllBytes(upstream.root().resolve(path.substring(1)));
    }

    private static HttpResponse<String> plain(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(vreg.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code vreg_storage_failures_total} for one operation, from /metrics. */
    private static double failures(String operation) throws IOException, InterruptedException {
        String metrics = plain("/metrics").body();
        return metrics.lines()
                .filter(l -> l.startsWith("vreg_storage_failures_total{")
                        && l.contains("operation=\"" + operation + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static void awaitNoTemporaryFiles() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (temporaryFiles() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(temporaryFiles()).isZero();
    }

    private static long temporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(disk.dir().resolve("tmp"))) {
            return files.count();
        }
    }

    static Run verifyStore(String... extra) {
        return StoreVerification.run(Stream.concat(Stream.of("verify-store", "--config", configFile.toString()),
                Stream.of(extra)).toArray(String[]::new));
    }
}
