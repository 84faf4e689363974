package dev.vreg.host.cache;

import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts cache hits in memory and writes them to the database in batches, so statistics never cost a database
 * round trip on the request path. A batch that could not be written is counted again into the next one, so an
 * outage of the database delays the counts but loses none.
 */
public final class DownloadCounter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DownloadCounter.class);

    private final Vertx vertx;
    private final CacheRepository repository;
    private final long timerId;
    private final ConcurrentHashMap<Long, LongAdder> pending = new ConcurrentHashMap<>();

    public DownloadCounter(Vertx vertx, CacheRepository repository, long flushIntervalMillis) {
        this.vertx = vertx;
        this.repository = repository;
        this.timerId = vertx.setPeriodic(flushIntervalMillis, id -> flush());
    }

    public void record(long entryId) {
        pending.computeIfAbsent(entryId, id -> new LongAdder()).increment();
    }

    /** Writes what has been counted so far. */
    public io.vertx.core.Future<Void> flush() {
        Map<Long, Long> batch = new HashMap<>();
        for (Long id : pending.keySet()) {
            LongAdder adder = pending.remove(id);
            if (adder != null) {
                batch.put(id, adder.sum());
            }
        }
        return repository.addDownloads(batch).onFailure(e -> {
            LOG.warn("Could not record {} download count(s), keeping them for the next try: {}", batch.size(),
                    e.getMessage());
            batch.forEach((id, count) -> pending.computeIfAbsent(id, key -> new LongAdder()).add(count));
        });
    }

    @Override
    public void close() {
        vertx.cancelTimer(timerId);
    }
}
