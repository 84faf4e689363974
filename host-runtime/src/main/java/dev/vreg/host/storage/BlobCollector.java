package dev.vreg.host.storage;

import dev.vreg.host.cache.CacheRepository;
import dev.vreg.host.db.Rows;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what the blob store holds that nothing needs: blobs no cache entry references (after cache deletions,
 * and as a scheduled job, {@code dev.vreg.host.jobs}), bytes found in the store without a row (adopted, then collected the same way), temporary files
 * and multipart uploads older than the grace period. Blobs a fetch is committing are pinned and never collected
 * ({@link CacheRepository#pinBlob}); rows stay locked while their bytes are deleted, so several nodes may collect at
 * once. Runs of one node follow one another. Each run is recorded in {@code blob_collections}, which only this class
 * writes.
 */
public final class BlobCollector {

    /** What started a run; a deletion run only deletes unreferenced blobs, the others also sweep the store. */
    public enum Trigger {
        SCHEDULED, DELETION, MANUAL;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What one run did. */
    public record Run(Trigger trigger, Instant startedAt, Instant finishedAt, int blobsDeleted, long bytesReclaimed,
                      int orphansAdopted, int temporaryFiles, long temporaryBytes, int multipartUploads, String error) {

        public JsonObject json() {
            return new JsonObject().put("trigger", trigger.id())
                    .put("startedAt", startedAt.atOffset(ZoneOffset.UTC).toString())
                    .put("finishedAt", finishedAt.atOffset(ZoneOffset.UTC).toString())
                    .put("blobsDeleted", blobsDeleted).put("reclaimedBytes", bytesReclaimed)
                    .put("orphansAdopted", orphansAdopted).put("temporaryFilesDeleted", temporaryFiles)
                    .put("temporaryBytesDeleted", temporaryBytes).put("multipartUploadsAborted", multipartUploads)
                    .put("error", error);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(BlobCollector.class);
    /** Blobs locked and deleted in one transaction. */
    private static final int ROUND = 200;
    /** Deletions sent to the store at once. */
    private static final int PARALLEL_DELETES = 16;
    private static final int LIST_PAGE = 1000;

    private final Vertx vertx;
    private final ManagedBlobStore store;
    private final CacheRepository cache;
    private final Pool pool;
    private final Duration grace;
    private final Clock clock;
    private Future<?> tail = Future.succeededFuture();

    public BlobCollector(Vertx vertx, ManagedBlobStore store, CacheRepository cache, Pool pool, Duration grace,
                         Clock clock) {
        this.vertx = vertx;
        this.store = store;
        this.cache = cache;
        this.pool = pool;
        this.grace = grace;
        this.clock = clock;
    }

    /** Starts a run after the one in progress, if any; it never fails (a failure is in {@link Run#error()}). */
    public synchronized Future<Run> collect(Trigger trigger) {
        Future<Run> next = tail.transform(previous -> run(trigger));
        tail = next;
        return next;
    }

    /** The latest recorded run of any node, or null. */
    public Future<JsonObject> lastRun() {
        return pool.query("SELECT * FROM blob_collections ORDER BY finished_at DESC, id DESC LIMIT 1").execute()
                .map(rows -> rows.size() == 0 ? null : json(rows.iterator().next()));
    }

    /** Bytes reclaimed by every recorded run. */
    public Future<Long> reclaimedInTotal() {
        return pool.query("SELECT coalesce(sum(bytes_reclaimed), 0) FROM blob_collections").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    private Future<Run> run(Trigger trigger) {
        Instant started = clock.instant();
        Instant cutOff = started.minus(grace);
        Counts counts = new Counts();
        Future<Void> adopted = trigger == Trigger.DELETION ? Future.succeededFuture() : adoptOrphans("", cutOff, counts);
        return adopted
                .compose(v -> rounds(counts))
                .compose(v -> trigger == Trigger.DELETION ? Future.succeededFuture(ManagedBlobStore.Leftovers.NONE)
                        : store.removeLeftovers(cutOff))
                .map(leftovers -> new Run(trigger, started, clock.instant(), counts.blobs, counts.bytes,
                        counts.adopted, leftovers.temporaryFiles(), leftovers.temporaryBytes(),
                        leftovers.multipartUploads(), null))
                .recover(e -> {
                    LOG.warn("Blob collection ({}) failed after deleting {} blobs: {}", trigger.id(), counts.blobs,
                            e.getMessage());
                    return Future.succeededFuture(new Run(trigger, started, clock.instant(), counts.blobs,
                            counts.bytes, counts.adopted, 0, 0, 0, String.valueOf(e.getMessage())));
                })
                .compose(run -> record(run).transform(recorded -> {
                    if (recorded.failed()) {
                        LOG.warn("Could not record a blob collection: {}", recorded.cause().getMessage());
                    }
                    if (run.blobsDeleted() > 0 || run.temporaryFiles() > 0 || run.multipartUploads() > 0) {
                        LOG.info("Blob collection ({}): {} blobs deleted, {} bytes reclaimed, {} temporary files, "
                                + "{} multipart uploads aborted", trigger.id(), run.blobsDeleted(),
                                run.bytesReclaimed(), run.temporaryFiles(), run.multipartUploads());
                    }
                    return Future.succeededFuture(run);
                }));
    }

    private static final class Counts {
        int blobs;
        long bytes;
        int adopted;
    }

    /** Locks, deletes and removes unreferenced blobs round after round, until a round finds fewer than it could take. */
    private Future<Void> rounds(Counts counts) {
        return cache.collectUnreferenced(ROUND, this::deleteBytes).compose(collected -> {
            counts.blobs += collected.size();
            counts.bytes += collected.stream().mapToLong(CacheRepository.Collected::size).sum();
            return collected.size() < ROUND ? Future.succeededFuture() : rounds(counts);
        });
    }

    private Future<Void> deleteBytes(List<CacheRepository.Collected> blobs) {
        Future<Void> chain = Future.succeededFuture();
        for (int from = 0; from < blobs.size(); from += PARALLEL_DELETES) {
            List<CacheRepository.Collected> batch = blobs.subList(from, Math.min(blobs.size(), from + PARALLEL_DELETES));
            chain = chain.compose(v -> Future.all(batch.stream().map(b -> store.delete(b.digest())).toList())
                    .mapEmpty());
        }
        return chain;
    }

    /** Pages through the store; blobs it holds without a row, older than the cut-off, get an unprotected row. */
    private Future<Void> adoptOrphans(String after, Instant cutOff, Counts counts) {
        return store.list(after, LIST_PAGE).compose(page -> {
            if (page.isEmpty()) {
                return Future.succeededFuture();
            }
            List<String> digests = page.stream().map(ManagedBlobStore.StoredObject::digest).toList();
            return cache.knownBlobs(digests).compose(known -> {
                List<CacheRepository.Collected> orphans = new ArrayList<>();
                for (ManagedBlobStore.StoredObject object : page) {
                    if (!known.contains(object.digest()) && object.modified() != null
                            && object.modified().isBefore(cutOff)) {
                        orphans.add(new CacheRepository.Collected(object.digest(), object.size()));
                    }
                }
                return cache.adoptOrphans(orphans);
            }).compose(adopted -> {
                counts.adopted += adopted;
                return page.size() < LIST_PAGE ? Future.succeededFuture()
                        : adoptOrphans(page.get(page.size() - 1).digest(), cutOff, counts);
            });
        });
    }

    private Future<Void> record(Run run) {
        return pool.preparedQuery("""
                        INSERT INTO blob_collections (trigger, started_at, finished_at, blobs_deleted, bytes_reclaimed,
                                                      orphans_adopted, temporary_files, temporary_bytes,
                                                      multipart_uploads, error)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)""")
                .execute(Tuple.from(new Object[] {run.trigger().id(), run.startedAt().atOffset(ZoneOffset.UTC),
                        run.finishedAt().atOffset(ZoneOffset.UTC), run.blobsDeleted(), run.bytesReclaimed(),
                        run.orphansAdopted(), run.temporaryFiles(), run.temporaryBytes(), run.multipartUploads(),
                        run.error()}))
                .mapEmpty();
    }

    private static JsonObject json(Row row) {
        return new Run(Trigger.valueOf(row.getString("trigger").toUpperCase(Locale.ROOT)),
                Rows.instant(row, "started_at"), Rows.instant(row, "finished_at"), row.getInteger("blobs_deleted"),
                row.getLong("bytes_reclaimed"), row.getInteger("orphans_adopted"), row.getInteger("temporary_files"),
                row.getLong("temporary_bytes"), row.getInteger("multipart_uploads"), row.getString("error")).json();
    }
}
