package dev.vreg.host.pull;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.cache.CacheEntry;
import dev.vreg.host.storage.FileSystemBlobStore;
import dev.vreg.spi.storage.BlobStore;
import dev.vreg.testkit.storage.StreamingBlobStore;
import dev.vreg.testkit.upstream.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Byte ranges as a client sees them, for a blob served from a local file (sendFile), for the same blob read as a
 * stream, as an object store hands it out, and for its copy in memory ({@link SmallFiles}): the answers must be the
 * same. The file case mirrors
 * {@code HttpSemanticsTest#zipsCarryAStrongEtagAndResumeWithRangeAndIfRange}, which runs it through the whole host.
 */
class BlobResponderRangeTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    // Larger than a few read chunks, so ranges start and end inside later chunks of a stream.
    private static final int SIZE = 700_001;

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private HttpServer server;
    private BlobStore store;
    private byte[] whole;
    private String etag;

    @AfterEach
    void stop() {
        Await.result(vertx.close(), WAIT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "stream", "memory"})
    void rangesAreServedTheSameForFilesAndStreams(String kind) throws Exception {
        start(kind);

        HttpResponse<byte[]> full = get();
        assertThat(full.statusCode()).isEqualTo(200);
        assertThat(full.body()).isEqualTo(whole);
        assertThat(full.headers().firstValue("Content-Length")).hasValue(Integer.toString(SIZE));
        assertThat(full.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(full.headers().firstValue("ETag")).hasValue(etag);

        assertPartial(get("Range", "bytes=100-", "If-Range", etag), 100, SIZE - 1);
        assertPartial(get("Range", "bytes=10-19"), 10, 19);
        assertPartial(get("Range", "bytes=-500"), SIZE - 500, SIZE - 1);
        assertPartial(get("Range", "bytes=65530-200000"), 65_530, 200_000);
        assertPartial(get("Range", "bytes=0-0"), 0, 0);
        assertPartial(get("Range", "bytes=" + (SIZE - 1) + "-"), SIZE - 1, SIZE - 1);
        assertPartial(get("Range", "bytes=600000-999999999"), 600_000, SIZE - 1);

        HttpResponse<byte[]> changed = get("Range", "bytes=100-", "If-Range", "\"other\"");
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).isEqualTo(whole);

        for (String unsatisfiable : new String[] {"bytes=" + SIZE + "-", "bytes=-0", "bytes=20-10"}) {
            HttpResponse<byte[]> beyond = get("Range", unsatisfiable);
            assertThat(beyond.statusCode()).as(unsatisfiable).isEqualTo(416);
            assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */" + SIZE);
        }

        assertPartial(get("Range", "bytes=1-2"), 1, 2);
        HttpResponse<byte[]> unchanged = get("If-None-Match", etag);
        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();

        if (store instanceof StreamingBlobStore streams) {
            // A range leaves the rest of its stream to be read and dropped, so the file is released all the same.
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (streams.openStreams() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(streams.openStreams()).as("streams not yet released").isZero();
        }
    }

    private void assertPartial(HttpResponse<byte[]> response, long first, long last) {
        String range = "bytes " + first + "-" + last + "/" + SIZE;
        assertThat(response.statusCode()).as(range).isEqualTo(206);
        assertThat(response.headers().firstValue("Content-Range")).hasValue(range);
        assertThat(response.headers().firstValue("Content-Length")).hasValue(Long.toString(last - first + 1));
        assertThat(response.body()).as(range).isEqualTo(Arrays.copyOfRange(whole, (int) first, (int) last + 1));
    }

    private void start(String kind) throws Exception {
        whole = new byte[SIZE];
        new Random(9).nextBytes(whole);
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(whole));
        FileSystemBlobStore files = FileSystemBlobStore.open(vertx, dir);
        Path temp = Await.result(files.createTemp(), WAIT);
        Files.write(temp, whole);
        Await.result(files.commit(temp, digest), WAIT);
        store = kind.equals("file") ? files : new StreamingBlobStore(vertx, files);

        boolean memory = kind.equals("memory");
        CacheEntry entry = new CacheEntry(1, 1, "example.com/ranges/@v/v1.0.0." + (memory ? "mod" : "zip"),
                CacheEntry.CONTENT, digest, null, SIZE, memory ? "text/plain; charset=utf-8" : "application/zip", null,
                new JsonObject(), Instant.now(), Instant.now());
        etag = entry.etag();
        BlobResponder responder = memory ? new BlobResponder(store, SmallFiles.of(vertx, SIZE, 4L * SIZE))
                : new BlobResponder(store);
        server = Await.result(vertx.createHttpServer()
                .requestHandler(request -> responder.send(request, entry).onFailure(e -> request.response().reset()))
                .listen(0, "127.0.0.1"), WAIT);
    }

    private HttpResponse<byte[]> get(String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.actualPort() + "/blob"));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
