package dev.vreg.host.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.cache.CacheEntry;
import dev.vreg.host.cache.CacheRepository;
import dev.vreg.host.support.TestVreg;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.AssetKind;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import dev.vreg.spi.storage.BlobSource;
import dev.vreg.testkit.upstream.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit raced against a collection, on the real database: whatever the order, a committed entry's blob is in the
 * store. The collector deletes bytes while it holds the blob's row, so a fetch pinning that blob waits and then
 * stores it anew; a pinned blob is never collected; a commit whose pin expired and whose blob was collected fails
 * and records nothing.
 */
class CollectionRaceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path temp;

    static VregServer vreg;
    static long upstreamId;
    static FileSystemBlobStore files;
    static GatedStore gated;
    static CacheRepository cache;
    static BlobCollector collector;

    @BeforeAll
    static void start() throws Exception {
        var config = TestVreg.config(TestVreg.newDataDir(), List.of("http://127.0.0.1:9"));
        config.storage.collection.interval = Duration.ZERO;
        vreg = TestVreg.start(config);
        upstreamId = Await.result(vreg.pool().query("SELECT min(id) FROM upstreams").execute(), WAIT)
                .iterator().next().getLong(0);
        files = FileSystemBlobStore.open(vreg.vertx(), temp.resolve("blobs"));
        gated = new GatedStore(files);
        cache = new CacheRepository(vreg.pool(), Duration.ofMinutes(10));
        collector = new BlobCollector(vreg.vertx(), gated, cache, vreg.pool(), Duration.ofHours(1),
                Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (vreg != null) {
            vreg.close();
        }
    }

    @Test
    void aFetchPinningABlobTheCollectorIsDeletingWaitsAndStoresItAnew() throws Exception {
        byte[] bytes = "module example.com/raced\n".getBytes(StandardCharsets.UTF_8);
        String digest = unreferencedBlob(bytes, "example.com/raced/@v/v1.0.0.mod");

        Promise<Void> release = Promise.promise();
        gated.holdDeletesUntil(release.future());
        Future<BlobCollector.Run> collecting = collector.collect(BlobCollector.Trigger.DELETION);
        gated.awaitHeldDelete(digest);

        // The collector holds the row and is deleting the bytes: the fetch's pin waits for it.
        Future<CacheEntry> committed = fetch(bytes, digest, "example.com/raced/@v/v1.0.1.mod");
        Thread.sleep(500);
        assertThat(committed.isComplete()).as("the commit while the collector holds the blob").isFalse();
        release.complete();

        BlobCollector.Run run = Await.result(collecting, WAIT);
        assertThat(run.error()).isNull();
        assertThat(run.blobsDeleted()).isEqualTo(1);
        CacheEntry entry = Await.result(committed, WAIT);
        assertThat(entry.blobDigest()).isEqualTo(digest);
        assertStored(digest, bytes);

        // Referenced now: the next collection leaves it.
        assertThat(Await.result(collector.collect(BlobCollector.Trigger.DELETION), WAIT).blobsDeleted()).isZero();
        assertStored(digest, bytes);
    }

    @Test
    void aPinnedBlobIsNotCollectedBeforeItsEntryIsCommitted() {
        byte[] bytes = "module example.com/pinned\n".getBytes(StandardCharsets.UTF_8);
        String digest = unreferencedBlob(bytes, "example.com/pinned/@v/v1.0.0.mod");
        Await.result(cache.pinBlob(digest, bytes.length), WAIT);
        Await.result(files.commit(writeTemp(bytes), digest), WAIT);
        assertThat(Await.result(collector.collect(BlobCollector.Trigger.DELETION), WAIT).blobsDeleted()).isZero();
        assertStored(digest, bytes);
        Await.result(cache.commitContent(upstreamId, ref("example.com/pinned/@v/v1.0.1.mod"), digest, bytes.length,
                "text/plain", Map.of(), false), WAIT);
        assertThat(Await.result(collector.collect(BlobCollector.Trigger.DELETION), WAIT).blobsDeleted()).isZero();
        assertStored(digest, bytes);
    }

    @Test
    void pinsAndCommitsLeaveTheirSessionsWaitingForTheWriteAheadLogAsBefore() {
        for (int i = 0; i < 8; i++) {
            byte[] bytes = ("module example.com/relaxed" + i + "\n").getBytes(StandardCharsets.UTF_8);
            Await.result(fetch(bytes, Hashes.sha256Hex(bytes), "example.com/relaxed" + i + "/@v/v1.0.0.mod"), WAIT);
        }
        // As many at once as the pool has connections: each session answers for itself.
        List<Future<String>> settings = new java.util.ArrayList<>();
        for (int i = 0; i < 32; i++) {
            settings.add(vreg.pool().query("SHOW synchronous_commit").execute()
                    .map(rows -> rows.iterator().next().getString(0)));
        }
        Await.result(Future.all(settings), WAIT);
        assertThat(settings).allSatisfy(setting -> assertThat(setting.result()).isEqualTo("on"));
    }

    @Test
    void aCommitWhoseExpiredPinLostItsBlobToTheCollectorRecordsNothing() throws Exception {
        CacheRepository shortPins = new CacheRepository(vreg.pool(), Duration.ofMillis(1));
        byte[] bytes = "module example.com/expired\n".getBytes(StandardCharsets.UTF_8);
        String digest = dev.vreg.host.storage.Hashes.sha256Hex(bytes);
        Await.result(shortPins.pinBlob(digest, bytes.length), WAIT);
        Await.result(files.commit(writeTemp(bytes), digest), WAIT);
        Thread.sleep(20);
        assertThat(Await.result(collector.collect(BlobCollector.Trigger.DELETION), WAIT).blobsDeleted())
                .isGreaterThanOrEqualTo(1);
        Throwable refused = Await.failure(shortPins.commitContent(upstreamId, ref("example.com/expired/@v/v1.0.0.mod"),
                digest, bytes.length, "text/plain", Map.of(), false), WAIT);
        assertThat(refused).isInstanceOfSatisfying(VregException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.STORAGE_UNAVAILABLE));
        assertThat(Await.result(cache.find(upstreamId, "example.com/expired/@v/v1.0.0.mod"), WAIT)).isEmpty();
    }

    @Test
    void manyCommitsRacingManyCollectionsNeverLeaveAnEntryWithoutItsBlob() {
        List<Future<?>> all = new ArrayList<>();
        Map<String, byte[]> contents = new ConcurrentHashMap<>();
        List<Future<CacheEntry>> commits = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // Eight contents, each committed five times over, while collections run and entries are replaced.
            byte[] bytes = ("module example.com/many" + (i % 8) + "\n").getBytes(StandardCharsets.UTF_8);
            String digest = dev.vreg.host.storage.Hashes.sha256Hex(bytes);
            contents.put(digest, bytes);
            Future<CacheEntry> commit = fetch(bytes, digest, "example.com/many/@v/v" + (i % 5) + ".0.0.mod");
            commits.add(commit);
            all.add(commit);
            all.add(collector.collect(BlobCollector.Trigger.DELETION));
        }
        Await.result(Future.join(all.stream().map(f -> (Future<?>) f).toList()), WAIT);
        Await.result(collector.collect(BlobCollector.Trigger.DELETION), WAIT);
        for (int v = 0; v < 5; v++) {
            CacheEntry entry = Await.result(cache.find(upstreamId, "example.com/many/@v/v" + v + ".0.0.mod"), WAIT)
                    .orElseThrow();
            assertStored(entry.blobDigest(), contents.get(entry.blobDigest()));
        }
        assertThat(commits).allMatch(Future::succeeded);
    }

    /** What the fetch path does: pin, store the bytes, record the entry (taking the pin back). */
    private static Future<CacheEntry> fetch(byte[] bytes, String digest, String path) {
        Path file = writeTemp(bytes);
        return cache.pinBlob(digest, bytes.length)
                .compose(pinned -> files.commit(file, digest)
                        .compose(v -> cache.commitContent(upstreamId, ref(path), digest, bytes.length, "text/plain",
                                Map.of(), false))
                        .onFailure(e -> cache.unpinBlob(digest)));
    }

    /** A blob stored and recorded once, whose entry has since been deleted. */
    private static String unreferencedBlob(byte[] bytes, String path) {
        String digest = dev.vreg.host.storage.Hashes.sha256Hex(bytes);
        CacheEntry entry = Await.result(fetch(bytes, digest, path), WAIT);
        assertThat(Await.result(cache.delete(upstreamId, entry.id()), WAIT)).isTrue();
        return digest;
    }

    private static void assertStored(String digest, byte[] bytes) {
        BlobSource source = Await.result(files.open(digest, bytes.length), WAIT);
        Path path = ((BlobSource.LocalFile) source).path();
        assertThat(path).as("blob " + digest).hasBinaryContent(bytes);
    }

    private static ArtifactRef ref(String path) {
        String name = path.substring(0, path.indexOf("/@v/"));
        String file = path.substring(path.lastIndexOf('/') + 1);
        return new ArtifactRef(path, AssetKind.CONTENT, name, file.substring(0, file.lastIndexOf('.')), file);
    }

    private static Path writeTemp(byte[] bytes) {
        try {
            Path file = Await.result(files.createTemp(), WAIT);
            Files.write(file, bytes);
            return file;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The file system store, whose deletions can be held at a gate, to stop the collector mid-round. */
    static final class GatedStore implements ManagedBlobStore {
        private final FileSystemBlobStore inner;
        private volatile Future<Void> gate = Future.succeededFuture();
        private final java.util.concurrent.LinkedBlockingQueue<String> held =
                new java.util.concurrent.LinkedBlockingQueue<>();

        GatedStore(FileSystemBlobStore inner) {
            this.inner = inner;
        }

        void holdDeletesUntil(Future<Void> released) {
            gate = released;
            released.onComplete(v -> gate = Future.succeededFuture());
        }

        void awaitHeldDelete(String digest) throws InterruptedException {
            String next = held.poll(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(next).isEqualTo(digest);
        }

        @Override
        public Future<Void> delete(String digest) {
            Future<Void> current = gate;
            if (!current.isComplete()) {
                held.add(digest);
            }
            return current.compose(v -> inner.delete(digest));
        }

        @Override
        public Future<Void> probe() {
            return inner.probe();
        }

        @Override
        public Future<List<StoredObject>> list(String after, int limit) {
            return inner.list(after, limit);
        }

        @Override
        public Future<Leftovers> removeLeftovers(Instant before) {
            return inner.removeLeftovers(before);
        }

        @Override
        public Future<Path> createTemp() {
            return inner.createTemp();
        }

        @Override
        public Future<Void> commit(Path temp, String digest) {
            return inner.commit(temp, digest);
        }

        @Override
        public Future<Void> discard(Path temp) {
            return inner.discard(temp);
        }

        @Override
        public Future<BlobSource> open(String digest, long size) {
            return inner.open(digest, size);
        }

        @Override
        public Future<Long> size(String digest) {
            return inner.size(digest);
        }
    }
}
