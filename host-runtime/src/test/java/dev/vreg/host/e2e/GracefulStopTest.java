package dev.vreg.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.support.StoreVerification;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.support.RawDownload;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.FileContent;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.StaticGoProxy;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping a node: new connections are refused at once, the downloads in flight finish within the grace period (and
 * are cut off when it ends), and what they counted is written before the database stops.
 */
class GracefulStopTest {

    static final GoModule BIG = GoModule.builder("example.com/big", "v1.0.0")
            .file("data.bin", FileContent.pseudoRandom(11, 32L << 20)).stored().build();
    static final String ZIP = "/go/default/main" + BIG.zipPath();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path temp;

    @Test
    void aDownloadInFlightFinishesWhileNewConnectionsAreRefusedAndItIsCounted() throws Exception {
        Path dataDir = TestVreg.newDataDir();
        try (StaticGoProxy upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("up")), BIG)) {
            VregServer vreg = TestVreg.start(config(dataDir, upstream, Duration.ofSeconds(30)));
            try {
                String expected = sha256(warm(vreg));
                try (RawDownload download = RawDownload.get(vreg.port(), ZIP)) {
                    assertThat(download.head()).startsWith("HTTP/1.1 200");
                    long length = download.contentLength();
                    MessageDigest digest = MessageDigest.getInstance("SHA-256");
                    long received = download.read(digest, 4L << 20, Duration.ZERO);

                    long stopStarted = System.nanoTime();
                    CompletableFuture<Void> stopping = CompletableFuture.runAsync(vreg::close);
                    assertThat(RawDownload.refusedWithin(vreg.port(), Duration.ofSeconds(10)))
                            .as("new connections are refused").isTrue();
                    assertThat(stopping).as("the stop waits for the download").isNotDone();

                    received += download.read(digest, length - received, Duration.ZERO);
                    assertThat(received).isEqualTo(length);
                    assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(expected);
                    stopping.get(30, TimeUnit.SECONDS);
                    assertThat(Duration.ofNanos(System.nanoTime() - stopStarted)).isLessThan(Duration.ofSeconds(30));
                }
            } finally {
                vreg.close();
            }
            // Counts are written every hour here: what the next start finds was written by the stop.
            VregConfig restarted = config(dataDir, upstream, Duration.ofSeconds(30));
            VregServer again = TestVreg.start(restarted);
            try {
                assertThat(downloads(again, BIG.zipPath())).isEqualTo(2);
                StoreVerification.assertIntact(restarted);
            } finally {
                again.close();
            }
        }
    }

    @Test
    void whatIsStillBeingSentWhenTheGracePeriodEndsIsCutOff() throws Exception {
        Duration grace = Duration.ofSeconds(1);
        try (StaticGoProxy upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("up")), BIG)) {
            VregServer vreg = TestVreg.start(config(TestVreg.newDataDir(), upstream, grace));
            try {
                warm(vreg).close();
                try (RawDownload download = RawDownload.get(vreg.port(), ZIP)) {
                    long started = System.nanoTime();
                    // A client that reads nothing more cannot hold the stop up for longer than the grace period.
                    vreg.close();
                    Duration took = Duration.ofNanos(System.nanoTime() - started);
                    assertThat(took).isBetween(grace.multipliedBy(9).dividedBy(10), grace.plusSeconds(20));
                    long received;
                    try {
                        received = download.read(MessageDigest.getInstance("SHA-256"), download.contentLength(),
                                Duration.ZERO);
                    } catch (IOException reset) {
                        received = -1;
                    }
                    assertThat(received).as("bytes received before the connection ended")
                            .isLessThan(download.contentLength());
                }
            } finally {
                vreg.close();
            }
        }
    }

    static VregConfig config(Path dataDir, StaticGoProxy upstream, Duration grace) {
        VregConfig config = TestVreg.config(dataDir, List.of(upstream.baseUrl()));
        config.cache.downloadsFlushInterval = Duration.ofHours(1);
        config.http.shutdownGrace = grace;
        return config;
    }

    /** Fetches the zip once through vreg, so the download under test is served from the cache. */
    static InputStream warm(VregServer vreg) throws Exception {
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create(vreg.baseUrl() + ZIP))
                .timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (in) {
            in.transferTo(new java.security.DigestOutputStream(java.io.OutputStream.nullOutputStream(), digest));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static long downloads(VregServer vreg, String path) throws Exception {
        return vreg.pool().preparedQuery("SELECT downloads_count FROM cache_entries WHERE path = $1 AND kind = 'CONTENT'")
                .execute(Tuple.of(path.substring(1))).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS).iterator().next().getLong(0);
    }
}
