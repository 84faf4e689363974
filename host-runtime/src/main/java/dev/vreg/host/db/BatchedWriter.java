package dev.vreg.host.db;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects records in memory, merged per key, and writes them in batches: periodically, when asked, and on close. A
 * record costs no database round trip, so request paths can keep statistics (download counts, tokens' last use).
 *
 * <p>Records may come from any thread. Values are merged with {@link ConcurrentHashMap#merge} and taken out with
 * {@link ConcurrentHashMap#remove}, each atomic per key, so a value is either in the batch being written or still
 * waiting, never in between: values must therefore be immutable. Batches are written one at a time, in order. A
 * batch whose write fails is merged back and written with the next one; the write must then have written nothing
 * (one statement or one transaction), or its part would count twice.
 *
 * <p>Memory is bounded: past {@link Settings#maxPending} waiting keys, records of new keys (and failed batches that
 * no longer fit) are dropped, counted and reported in a warning, so a database that stays down cannot exhaust the
 * heap. Records of keys already waiting are still merged, as they take no more room.
 *
 * @param <K> what records are merged by, e.g. a cache entry's id
 * @param <V> an immutable value, e.g. a count or a time
 */
public final class BatchedWriter<K, V> {

    private static final Logger LOG = LoggerFactory.getLogger(BatchedWriter.class);

    /**
     * @param what       what one record is, for log lines ("download count")
     * @param interval   how often waiting records are written
     * @param maxPending how many keys may wait at most
     */
    public record Settings(String what, Duration interval, int maxPending) {
        public Settings {
            if (interval.isNegative() || interval.isZero() || maxPending < 1) {
                throw new IllegalArgumentException("a batched writer needs a positive interval and bound");
            }
        }
    }

    private final Settings settings;
    private final BinaryOperator<V> merge;
    private final Function<Map<K, V>, Future<Void>> write;
    private final Context context;
    private final Vertx vertx;
    private final long timerId;
    private final ConcurrentHashMap<K, V> pending = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong droppedUnreported = new AtomicLong();
    /** The last batch written or queued; only touched on {@link #context}. */
    private Future<Void> last = Future.succeededFuture();

    private BatchedWriter(Vertx vertx, Settings settings, BinaryOperator<V> merge,
                          Function<Map<K, V>, Future<Void>> write) {
        this.vertx = vertx;
        this.settings = settings;
        this.merge = merge;
        this.write = write;
        this.context = vertx.getOrCreateContext();
        this.timerId = vertx.setPeriodic(settings.interval().toMillis(),
                id -> context.runOnContext(v -> writeUnlessBusy()));
    }

    /**
     * A writer that merges records with {@code merge} (older value first) and hands each batch to {@code write},
     * whose future fails when nothing was written.
     */
    public static <K, V> BatchedWriter<K, V> start(Vertx vertx, Settings settings, BinaryOperator<V> merge,
                                                   Function<Map<K, V>, Future<Void>> write) {
        return new BatchedWriter<>(vertx, settings, merge, write);
    }

    /** Adds {@code value} to what waits for {@code key}; from any thread. */
    public void record(K key, V value) {
        if (pending.size() >= settings.maxPending() && !pending.containsKey(key)) {
            drop(1);
            return;
        }
        pending.merge(key, value, merge);
    }

    /**
     * Writes everything recorded before this call, after any batch already being written. The future fails when
     * the write did; the records are then kept for the next attempt.
     */
    public Future<Void> flush() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> queueBatch().onComplete(done));
        return done.future();
    }

    /** Stops the periodic writes and writes what is left; records made after this wait for an explicit flush. */
    public Future<Void> close() {
        vertx.cancelTimer(timerId);
        reportDrops();
        return flush().onFailure(e -> LOG.warn("{} {} record(s) could not be written before shutting down",
                pending.size(), settings.what()));
    }

    /** How many records were dropped because too many keys were waiting. */
    public long dropped() {
        return dropped.get();
    }

    /** How many keys wait to be written. */
    public int pending() {
        return pending.size();
    }

    private void writeUnlessBusy() {
        reportDrops();
        // A slow database should not pile up periodic batches behind each other; the next tick takes it all.
        if (last.isComplete()) {
            queueBatch();
        }
    }

    /** On {@link #context}: queues the next batch behind the last one. */
    private Future<Void> queueBatch() {
        Future<Void> next = last.transform(previous -> writeBatch());
        last = next;
        return next;
    }

    private Future<Void> writeBatch() {
        Map<K, V> batch = new HashMap<>();
        for (K key : pending.keySet()) {
            V value = pending.remove(key);
            if (value != null) {
                batch.put(key, value);
            }
        }
        if (batch.isEmpty()) {
            return Future.succeededFuture();
        }
        Future<Void> written;
        try {
            written = write.apply(Map.copyOf(batch));
        } catch (RuntimeException e) {
            written = Future.failedFuture(e);
        }
        return written.onFailure(e -> {
            LOG.warn("Could not write {} {} record(s), keeping them for the next attempt: {}", batch.size(),
                    settings.what(), e.getMessage());
            putBack(batch);
        });
    }

    private void putBack(Map<K, V> batch) {
        long lost = 0;
        for (Map.Entry<K, V> entry : batch.entrySet()) {
            if (pending.size() >= settings.maxPending() && !pending.containsKey(entry.getKey())) {
                lost++;
            } else {
                // What was recorded meanwhile is newer than the batch.
                pending.merge(entry.getKey(), entry.getValue(), (newer, older) -> merge.apply(older, newer));
            }
        }
        drop(lost);
    }

    /** One warning per period at most, however many records a dead database makes us drop. */
    private void reportDrops() {
        long unreported = droppedUnreported.getAndSet(0);
        if (unreported > 0) {
            LOG.warn("Dropped {} {} record(s): more than {} were waiting to be written ({} dropped in all)",
                    unreported, settings.what(), settings.maxPending(), dropped.get());
        }
    }

    private void drop(long count) {
        if (count > 0) {
            dropped.addAndGet(count);
            droppedUnreported.addAndGet(count);
        }
    }
}
