package dev.vreg.host.stats;

import dev.vreg.host.db.DatabaseHealth;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gauges of what a node depends on: the database (reachable or not, the pool's connections against its maximum) and
 * the disk under the blob store (free and total bytes, read on a worker every {@link #DISK_PERIOD_MS}, so a scrape
 * never waits for the file system).
 */
public final class NodeMeters {

    private static final long DISK_PERIOD_MS = 10_000;

    private final AtomicLong diskFree = new AtomicLong(-1);
    private final AtomicLong diskTotal = new AtomicLong(-1);

    /** Registers the gauges; answers a task that stops the disk readings. */
    public static AutoCloseable register(Vertx vertx, MeterRegistry registry, Pool pool, int poolMax,
                                         DatabaseHealth health, Path blobDir) {
        NodeMeters node = new NodeMeters();
        Gauge.builder("vreg.database.up", health, h -> h.up() ? 1 : 0)
                .description("1 while the database answers, 0 while it is unreachable").register(registry);
        Gauge.builder("vreg.database.pool.connections", pool, Pool::size)
                .description("Connections the database pool holds").register(registry);
        Gauge.builder("vreg.database.pool.max", () -> poolMax)
                .description("Connections the database pool may hold at most").register(registry);
        Gauge.builder("vreg.blobstore.disk.free", node.diskFree, AtomicLong::get).baseUnit("bytes")
                .description("Bytes free for vreg on the file system of the blob store").register(registry);
        Gauge.builder("vreg.blobstore.disk.total", node.diskTotal, AtomicLong::get).baseUnit("bytes")
                .description("Size of the file system of the blob store").register(registry);
        node.readDisk(vertx, blobDir);
        long timer = vertx.setPeriodic(DISK_PERIOD_MS, id -> node.readDisk(vertx, blobDir));
        return () -> vertx.cancelTimer(timer);
    }

    private void readDisk(Vertx vertx, Path blobDir) {
        vertx.executeBlocking(() -> {
            Path existing = blobDir.toAbsolutePath();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                throw new IOException("no part of " + blobDir + " exists");
            }
            FileStore store = Files.getFileStore(existing);
            diskFree.set(store.getUsableSpace());
            diskTotal.set(store.getTotalSpace());
            return null;
        }, false);
    }
}
