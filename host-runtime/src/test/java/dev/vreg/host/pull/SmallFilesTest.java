package dev.vreg.host.pull;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.cache.CacheEntry;
import dev.vreg.host.storage.FileSystemBlobStore;
import dev.vreg.spi.storage.MissingBlobException;
import dev.vreg.testkit.upstream.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The copies in memory of small files: what is kept, within which bound, and what a missing file is. */
class SmallFilesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() {
        Await.result(vertx.close(), WAIT);
    }

    @Test
    void keepsSmallInfoAndModFilesWithinTheirBoundButNoZips() throws Exception {
        FileSystemBlobStore store = FileSystemBlobStore.open(vertx, dir);
        SmallFiles small = SmallFiles.of(vertx, 1000, 8 * 1024);
        for (int i = 0; i < 40; i++) {
            CacheEntry entry = stored(store, i, "example.com/m" + i + "/@v/v1.0.0.mod", "module example.com/m" + i
                    + "\n" + "x".repeat(500));
            assertThat(small.holds(entry)).isTrue();
            SmallFiles.Copy copy = Await.result(small.get(entry, store), WAIT);
            assertThat(copy.body().toString(StandardCharsets.UTF_8)).startsWith("module example.com/m" + i + "\n");
            assertThat(copy.etag().toString()).isEqualTo(entry.etag());
            assertThat(copy.contentLength().toString()).isEqualTo(Long.toString(entry.size()));
            assertThat(small.heldBytes()).isLessThanOrEqualTo(8 * 1024);
        }
        assertThat(small.heldBytes()).isPositive();

        CacheEntry large = stored(store, 100, "example.com/large/@v/v1.0.0.info", "{}" + " ".repeat(1000));
        CacheEntry zip = stored(store, 101, "example.com/zip/@v/v1.0.0.zip", "PK");
        assertThat(small.holds(large)).isFalse();
        assertThat(small.holds(zip)).isFalse();
        assertThat(SmallFiles.of(vertx, 1000, 0).holds(zip)).isFalse();
        assertThat(SmallFiles.NONE.holds(stored(store, 102, "example.com/x/@v/v1.0.0.info", "{}"))).isFalse();
    }

    @Test
    void aFileGoneFromTheStoreOrShortOfItsSizeIsAMissingBlob() throws Exception {
        FileSystemBlobStore store = FileSystemBlobStore.open(vertx, dir);
        SmallFiles small = SmallFiles.of(vertx, 1000, 8 * 1024);
        CacheEntry gone = stored(store, 1, "example.com/gone/@v/v1.0.0.info", "{\"Version\":\"v1.0.0\"}");
        Files.delete(store.root().resolve("sha256").resolve(gone.blobDigest().substring(0, 2))
                .resolve(gone.blobDigest()));
        assertThat(Await.failure(small.get(gone, store), WAIT)).isInstanceOf(MissingBlobException.class);

        CacheEntry shortened = stored(store, 2, "example.com/short/@v/v1.0.0.mod", "module example.com/short\n");
        Files.writeString(store.root().resolve("sha256").resolve(shortened.blobDigest().substring(0, 2))
                .resolve(shortened.blobDigest()), "module");
        assertThat(Await.failure(small.get(shortened, store), WAIT)).isInstanceOf(MissingBlobException.class);
    }

    private CacheEntry stored(FileSystemBlobStore store, long id, String path, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        Path temp = Await.result(store.createTemp(), WAIT);
        Files.write(temp, bytes);
        Await.result(store.commit(temp, digest), WAIT);
        return new CacheEntry(id, 1, path, CacheEntry.CONTENT, digest, null, bytes.length, "text/plain", null,
                new JsonObject(), Instant.now(), Instant.now());
    }
}
