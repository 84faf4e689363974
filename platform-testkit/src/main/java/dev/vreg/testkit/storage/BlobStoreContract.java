package dev.vreg.testkit.storage;

import static dev.vreg.testkit.storage.BlobReading.sha256Hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import dev.vreg.spi.storage.BlobSource;
import dev.vreg.spi.storage.BlobStore;
import dev.vreg.spi.storage.MissingBlobException;
import dev.vreg.testkit.upstream.Await;
import dev.vreg.testkit.upstream.GeneratedBody;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The suite every {@link BlobStore} passes, in the spirit of Athens' storage compliance tests: one set of behaviours,
 * checked the same way against the file system store, an S3 store and whatever comes next.
 *
 * <h2>How to extend it</h2>
 * Implement {@link #store()}: a fresh, empty store for one test, using {@link #vertx()} (a Vert.x created for the
 * test and closed after it). Add backend-specific regressions as further {@code @Test} methods in the subclass.
 *
 * <pre>{@code
 * class FileSystemBlobStoreTest extends BlobStoreContract {
 *     @TempDir Path dir;
 *     protected BlobStore store() { return FileSystemBlobStore.open(vertx(), dir); }
 * }
 * }</pre>
 *
 * <p>The suite never skips. Bodies are written to the store's temporary files in chunks and read back through the
 * source the store hands out (a local file is read as a stream of its own), so a multi-megabyte blob is checked
 * chunk by chunk against {@link GeneratedBody} and never held in memory.
 */
public abstract class BlobStoreContract {

    /** How long a test waits for any single outcome before it fails. */
    protected static final Duration WAIT = Duration.ofSeconds(30);

    /** The size of the large blob: several read chunks of any store, several megabytes. */
    protected static final long LARGE_BYTES = (5L << 20) + 12_345;

    private Vertx vertx;
    private BlobStore store;
    private BlobReading reading;

    /** A fresh, empty store for one test. Called once per test, after {@link #vertx()} is ready. */
    protected abstract BlobStore store() throws Exception;

    /** The Vert.x of the current test. */
    protected final Vertx vertx() {
        return vertx;
    }

    /** The store of the current test, as {@link #store()} made it. */
    protected final BlobStore blobStore() {
        return store;
    }

    @BeforeEach
    final void openStore() throws Exception {
        vertx = Vertx.vertx();
        store = store();
        reading = new BlobReading(vertx);
    }

    @AfterEach
    final void closeVertx() {
        Await.result(vertx.close(), WAIT);
    }

    @Test
    void aSmallBlobReadsBackByteForByte() {
        byte[] bytes = everyByteValue();
        String digest = commit(bytes);
        BlobSource source = await(store.open(digest, bytes.length));
        assertThat(source.size()).isEqualTo(bytes.length);
        assertThat(reading.readAll(source)).isEqualTo(bytes);
        assertThat(await(store.size(digest))).isEqualTo(bytes.length);
    }

    @Test
    void anEmptyBlobReadsBackEmpty() {
        String digest = commit(new byte[0]);
        assertThat(reading.readAll(await(store.open(digest, 0)))).isEmpty();
        assertThat(await(store.size(digest))).isZero();
    }

    @Test
    void aMultiMegabyteBlobStreamsBackByteForByte() throws Exception {
        Path temp = await(store.createTemp());
        String digest = BlobReading.writeGenerated(temp, 0, LARGE_BYTES);
        await(store.commit(temp, digest));
        assertThat(await(store.size(digest))).isEqualTo(LARGE_BYTES);
        assertThat(reading.verifyGenerated(await(store.open(digest, LARGE_BYTES)), 0, LARGE_BYTES))
                .isEqualTo(LARGE_BYTES);
    }

    @Test
    void theSameDigestCommittedTwiceConcurrentlyIsStoredOnce() {
        byte[] bytes = text("module example.com/twice\n\ngo 1.22\n");
        String digest = sha256Hex(bytes);
        List<Path> temps = new ArrayList<>();
        List<Future<Void>> commits = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            temps.add(writeTemp(bytes));
        }
        temps.forEach(temp -> commits.add(store.commit(temp, digest)));
        commits.forEach(this::await);
        assertThat(reading.readAll(await(store.open(digest, bytes.length)))).isEqualTo(bytes);
        assertThat(temps).as("temporary files after their commits").noneMatch(Files::exists);
        assertThat(await(store.size(digest))).isEqualTo(bytes.length);
    }

    @Test
    void aDigestThatDoesNotMatchTheBytesIsRefusedAndNothingIsStored() {
        byte[] bytes = text("the real bytes");
        String claimed = sha256Hex(text("other bytes"));
        Path temp = writeTemp(bytes);
        Throwable refused = Await.failure(store.commit(temp, claimed), WAIT);
        assertThat(refused).isInstanceOfSatisfying(VregException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTERNAL));
        assertMissing(claimed);
        assertMissing(sha256Hex(bytes));
        await(store.discard(temp));
        assertThat(temp).doesNotExist();
    }

    @Test
    void aMissingBlobIsAMissingBlobException() {
        String digest = sha256Hex(text("never stored"));
        assertMissing(digest);
        await(store.delete(digest));
    }

    @Test
    void aDeletedBlobIsMissingAndDeletingAgainSucceeds() {
        byte[] bytes = text("short-lived");
        String digest = commit(bytes);
        await(store.delete(digest));
        assertMissing(digest);
        await(store.delete(digest));
        String again = commit(bytes);
        assertThat(reading.readAll(await(store.open(again, bytes.length)))).isEqualTo(bytes);
    }

    @Test
    void anAbortedWriteLeavesNothingVisible() throws Exception {
        Path temp = await(store.createTemp());
        String whole = BlobReading.writeGenerated(temp, 0, 3 << 20);
        Path partial = await(store.createTemp());
        BlobReading.writeGenerated(partial, 0, 1 << 20);
        await(store.discard(temp));
        await(store.discard(partial));
        await(store.discard(partial));
        assertThat(temp).doesNotExist();
        assertThat(partial).doesNotExist();
        assertMissing(whole);
        assertThat(Await.failure(store.commit(temp, whole), WAIT)).as("committing a discarded file").isNotNull();
        assertMissing(whole);
    }

    @Test
    void invalidDigestsAreRefused() {
        for (String digest : List.of("", "abc", sha256Hex(text("x")).toUpperCase(), "../" + "0".repeat(61))) {
            assertThat(refusal(() -> store.size(digest))).as(digest).isInstanceOf(IllegalArgumentException.class);
            assertThat(refusal(() -> store.open(digest, 1))).as(digest).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void byteRangesReadTheirBytesFromTheStoresSource() {
        long size = LARGE_BYTES;
        String digest = commitGenerated(size);
        for (long[] range : ranges(size)) {
            long offset = range[0];
            long length = range[1];
            BlobSource source = await(store.open(digest, size, offset, length));
            assertThat(source.size()).isEqualTo(size);
            assertThat(reading.verifyGenerated(source, offset, length)).as("bytes %d+%d", offset, length)
                    .isEqualTo(length);
        }
    }

    @Test
    void byteRangesReadTheirBytesFromAStream() {
        long size = LARGE_BYTES;
        String digest = commitGenerated(size);
        for (long[] range : ranges(size)) {
            BlobSource.Stream whole = reading.asStream(await(store.open(digest, size)));
            BlobSource.Stream ranged = whole.range(range[0], range[1]);
            assertThat(ranged.offset()).isEqualTo(range[0]);
            assertThat(ranged.length()).isEqualTo(range[1]);
            assertThat(reading.verifyGenerated(ranged, range[0], range[1])).as("bytes %d+%d", range[0], range[1])
                    .isEqualTo(range[1]);
        }
        BlobSource.Stream whole = reading.asStream(await(store.open(digest, size)));
        assertThatThrownBy(() -> whole.range(size - 10, 11)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> whole.range(0, 0)).isInstanceOf(IllegalArgumentException.class);
        reading.verifyGenerated(whole, 0, size);
    }

    @Test
    void aRangeOutsideTheBlobIsRefused() {
        byte[] bytes = text("0123456789");
        String digest = commit(bytes);
        assertThat(refusal(() -> store.open(digest, bytes.length, 5, 6))).isInstanceOf(IllegalArgumentException.class);
        assertThat(refusal(() -> store.open(digest, bytes.length, -1, 2))).isInstanceOf(IllegalArgumentException.class);
        assertThat(refusal(() -> store.open(digest, bytes.length, 3, 0))).isInstanceOf(IllegalArgumentException.class);
        assertThat(reading.readRange(await(store.open(digest, bytes.length, 9, 1)), 9, 1)).isEqualTo(text("9"));
    }

    @Test
    void keysSharingAPrefixAreSeparateBlobs() {
        // Two contents whose digests share their first four hex digits: the same directory or key prefix.
        byte[][] pair = sharingDigestPrefix(4);
        String first = commit(pair[0]);
        String second = commit(pair[1]);
        assertThat(first.substring(0, 4)).isEqualTo(second.substring(0, 4));
        assertThat(first).isNotEqualTo(second);
        assertThat(reading.readAll(await(store.open(first, pair[0].length)))).isEqualTo(pair[0]);
        assertThat(reading.readAll(await(store.open(second, pair[1].length)))).isEqualTo(pair[1]);
        await(store.delete(first));
        assertMissing(first);
        assertThat(await(store.size(second))).isEqualTo(pair[1].length);
        assertThat(reading.readAll(await(store.open(second, pair[1].length)))).isEqualTo(pair[1]);
    }

    @Test
    void concurrentCommitsOfOneLargeBlobStoreItOnce() throws Exception {
        List<Path> temps = new ArrayList<>();
        String digest = null;
        for (int i = 0; i < 3; i++) {
            Path temp = await(store.createTemp());
            digest = BlobReading.writeGenerated(temp, 0, LARGE_BYTES);
            temps.add(temp);
        }
        String committed = digest;
        List<Future<Void>> commits = temps.stream().map(temp -> store.commit(temp, committed)).toList();
        commits.forEach(this::await);
        assertThat(temps).as("temporary files after their commits").noneMatch(Files::exists);
        assertThat(await(store.size(digest))).isEqualTo(LARGE_BYTES);
        assertThat(reading.verifyGenerated(await(store.open(digest, LARGE_BYTES)), 0, LARGE_BYTES))
                .isEqualTo(LARGE_BYTES);
    }

    @Test
    void rangesAtTheEndOfABlobReadItsLastBytes() {
        long size = LARGE_BYTES;
        String digest = commitGenerated(size);
        // The last byte, the last chunk's worth, past the first 5 MiB (an S3 part) to the end, the whole blob.
        long fiveMiB = 5L << 20;
        for (long[] range : List.of(new long[] {size - 1, 1}, new long[] {size - 65_536, 65_536},
                new long[] {fiveMiB - 3, size - fiveMiB + 3}, new long[] {fiveMiB, size - fiveMiB},
                new long[] {1, size - 1})) {
            BlobSource source = await(store.open(digest, size, range[0], range[1]));
            assertThat(reading.verifyGenerated(source, range[0], range[1])).as("bytes %d+%d", range[0], range[1])
                    .isEqualTo(range[1]);
        }
        byte[] one = text("x");
        String single = commit(one);
        assertThat(reading.readRange(await(store.open(single, 1, 0, 1)), 0, 1)).isEqualTo(one);
        assertThat(refusal(() -> store.open(digest, size, size - 1, 2))).isInstanceOf(IllegalArgumentException.class);
        assertThat(refusal(() -> store.open(digest, size, size, 1))).isInstanceOf(IllegalArgumentException.class);
    }

    /** Two different small contents whose sha256 digests start with the same {@code digits} hex digits. */
    private static byte[][] sharingDigestPrefix(int digits) {
        java.util.Map<String, byte[]> seen = new java.util.HashMap<>();
        for (int i = 0; ; i++) {
            byte[] bytes = text("shared prefix " + i);
            byte[] earlier = seen.putIfAbsent(sha256Hex(bytes).substring(0, digits), bytes);
            if (earlier != null) {
                return new byte[][] {earlier, bytes};
            }
        }
    }

    /**
     * The ranges an HTTP client asks for, as offset and length: {@code bytes=10-19} (start and end),
     * {@code bytes=-500} (a suffix), {@code bytes=1000000-} (start only), one spanning read chunks, the first and the
     * last byte and the whole blob.
     */
    private static List<long[]> ranges(long size) {
        return List.of(new long[] {10, 10}, new long[] {size - 500, 500}, new long[] {1_000_000, size - 1_000_000},
                new long[] {65_530, 70_000}, new long[] {0, 1}, new long[] {size - 1, 1}, new long[] {0, size});
    }

    /** Asserts that the store does not have {@code digest}, however it is asked. */
    protected final void assertMissing(String digest) {
        assertThat(Await.failure(store.size(digest), WAIT)).as("size of missing blob " + digest)
                .isInstanceOfSatisfying(MissingBlobException.class, e -> assertThat(e.digest()).isEqualTo(digest));
        Future<BlobSource> opened = store.open(digest, 10);
        Future<Void> settled = opened.transform(outcome -> Future.succeededFuture());
        await(settled);
        if (opened.failed()) {
            assertThat(opened.cause()).as("opening missing blob " + digest).isInstanceOf(MissingBlobException.class);
        } else {
            // The store may hand out a local file without looking; then the file must not exist.
            assertThat(opened.result()).as("opening missing blob " + digest)
                    .isInstanceOfSatisfying(BlobSource.LocalFile.class, file -> assertThat(file.path()).doesNotExist());
        }
    }

    /** What {@code call} was refused with, whether it threw or returned a failed future. */
    private static Throwable refusal(Supplier<Future<?>> call) {
        Future<?> outcome;
        try {
            outcome = call.get();
        } catch (RuntimeException e) {
            return e;
        }
        return Await.failure(outcome, WAIT);
    }

    /** Writes {@code bytes} to a fresh temporary file of the store. */
    protected final Path writeTemp(byte[] bytes) {
        Path temp = await(store.createTemp());
        try {
            Files.write(temp, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return temp;
    }

    /** Writes and commits {@code bytes}; returns their digest. */
    protected final String commit(byte[] bytes) {
        String digest = sha256Hex(bytes);
        await(store.commit(writeTemp(bytes), digest));
        return digest;
    }

    private String commitGenerated(long size) {
        try {
            Path temp = await(store.createTemp());
            String digest = BlobReading.writeGenerated(temp, 0, size);
            await(store.commit(temp, digest));
            return digest;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for {@code future}, failing the test on its failure. */
    protected final <T> T await(Future<T> future) {
        return Await.result(future, WAIT);
    }

    private static byte[] everyByteValue() {
        byte[] bytes = new byte[256 * 5 + 7];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    private static byte[] text(String content) {
        return content.getBytes(StandardCharsets.UTF_8);
    }
}
