package dev.vreg.host.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.db.postgres.EmbeddedPostgres;
import dev.vreg.host.support.LogCapture;
import dev.vreg.host.support.TestVreg;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(180)
class BatchedWriterTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void closeVertx() throws Exception {
        await(vertx.close());
    }

    @Test
    void countsRecordedFromManyThreadsWhileBatchesAreWrittenAddUpExactly() throws Exception {
        int keys = 16;
        int perRecorder = 40_000;
        int threads = 3;
        int verticles = 2;
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(TestVreg.newDataDir())) {
            Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4))
                    .connectingTo(new DatabaseEndpoint(postgres.host(), postgres.port(), postgres.database(),
                            postgres.user(), postgres.password()).connectOptions())
                    .using(vertx).build();
            await(pool.query("CREATE TABLE counts (k bigint PRIMARY KEY, n bigint NOT NULL)").execute());
            AtomicInteger writes = new AtomicInteger();
            AtomicInteger failures = new AtomicInteger();
            // Every fourth batch is written and then rolled back by a failing statement in the same transaction.
            BatchedWriter<Long, Long> writer = BatchedWriter.start(vertx,
                    new BatchedWriter.Settings("count", Duration.ofMillis(5), 1000), Long::sum,
                    batch -> pool.withTransaction(connection -> {
                        boolean fail = writes.incrementAndGet() % 4 == 0;
                        Future<?> upserted = connection.preparedQuery("""
                                        INSERT INTO counts (k, n) SELECT * FROM unnest($1::bigint[], $2::bigint[])
                                        ON CONFLICT (k) DO UPDATE SET n = counts.n + excluded.n""")
                                .execute(Tuple.tuple().addValue(keys(batch)).addValue(values(batch)));
                        return fail ? upserted.compose(v -> connection.query("SELECT 1 / 0").execute()
                                .onFailure(e -> failures.incrementAndGet())).<Void>mapEmpty()
                                : upserted.<Void>mapEmpty();
                    }));

            List<CompletableFuture<Void>> recorders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                recorders.add(done);
                new Thread(() -> {
                    recordInChunks(writer, keys, perRecorder);
                    done.complete(null);
                }, "recorder-" + t).start();
            }
            for (int v = 0; v < verticles; v++) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                recorders.add(done);
                await(vertx.deployVerticle(new Recorder(writer, keys, perRecorder, done)));
            }
            CompletableFuture.allOf(recorders.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            int writesWhileRecording = writes.get();
            boolean written;
            do {
                written = writer.flush().map(true).otherwise(false).toCompletionStage().toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
            } while (!written || writer.pending() > 0);

            assertThat(writesWhileRecording).as("batches written while records kept coming").isGreaterThan(1);
            assertThat(failures.get()).as("batches rolled back and written again").isPositive();
            assertThat(writer.dropped()).isZero();
            Map<Long, Long> stored = new HashMap<>();
            for (Row row : await(pool.query("SELECT k, n FROM counts").execute())) {
                stored.put(row.getLong("k"), row.getLong("n"));
            }
            long perKey = (long) (threads + verticles) * perRecorder / keys;
            assertThat(stored).hasSize(keys).allSatisfy((k, n) -> assertThat(n).as("key " + k).isEqualTo(perKey));
            await(writer.close());
            await(pool.close());
        }
    }

    @Test
    void aFailedBatchIsKeptAndMergedWithWhatWasRecordedMeanwhile() throws Exception {
        List<Map<String, String>> batches = new CopyOnWriteArrayList<>();
        AtomicReference<Promise<Void>> current = new AtomicReference<>();
        BatchedWriter<String, String> writer = BatchedWriter.start(vertx,
                new BatchedWriter.Settings("name", Duration.ofHours(1), 10), (older, newer) -> newer, batch -> {
                    Promise<Void> promise = Promise.promise();
                    current.set(promise);
                    batches.add(batch);
                    return promise.future();
                });
        writer.record("a", "first");
        writer.record("b", "kept");
        Future<Void> first = writer.flush();
        waitFor(() -> batches.size() == 1);
        writer.record("a", "second");
        Future<Void> second = writer.flush();
        Thread.sleep(100);
        assertThat(batches).as("one batch at a time").hasSize(1);

        current.get().fail("the database is down");
        assertThat(first.toCompletionStage().toCompletableFuture()).failsWithin(10, TimeUnit.SECONDS);
        waitFor(() -> batches.size() == 2);
        assertThat(batches.get(1)).as("the newer value wins over the failed batch's").containsExactlyInAnyOrderEntriesOf(
                Map.of("a", "second", "b", "kept"));
        current.get().complete();
        await(second);
        assertThat(writer.pending()).isZero();
        await(writer.close());
    }

    @Test
    void pastTheBoundNewKeysAreDroppedCountedAndReportedOnce() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        BatchedWriter<Integer, Long> writer = BatchedWriter.start(vertx,
                new BatchedWriter.Settings("count", Duration.ofHours(1), 3), Long::sum, batch -> {
                    attempts.incrementAndGet();
                    return Future.failedFuture("the database is down");
                });
        try (LogCapture logs = LogCapture.attach()) {
            for (int key = 1; key <= 5; key++) {
                writer.record(key, 1L);
            }
            writer.record(1, 1L);
            assertThat(writer.dropped()).isEqualTo(2);
            assertThat(writer.pending()).isEqualTo(3);
            assertThat(writer.flush().toCompletionStage().toCompletableFuture()).failsWithin(10, TimeUnit.SECONDS);
            assertThat(writer.pending()).as("the failed batch is back").isEqualTo(3);
            writer.record(6, 1L);
            assertThat(writer.dropped()).isEqualTo(3);
            assertThat(writer.close().toCompletionStage().toCompletableFuture()).failsWithin(10, TimeUnit.SECONDS);
            assertThat(attempts.get()).isEqualTo(2);
            assertThat(logs.lines()).filteredOn(line -> line.contains("Dropped"))
                    .containsExactly(BatchedWriter.class.getName()
                            + " Dropped 3 count record(s): more than 3 were waiting to be written (3 dropped in all)");
        }
    }

    @Test
    void closingWritesWhatIsLeftAfterTheBatchInFlight() throws Exception {
        Map<String, Long> written = new java.util.concurrent.ConcurrentHashMap<>();
        Promise<Void> slow = Promise.promise();
        AtomicInteger calls = new AtomicInteger();
        BatchedWriter<String, Long> writer = BatchedWriter.start(vertx,
                new BatchedWriter.Settings("count", Duration.ofHours(1), 10), Long::sum, batch -> {
                    Future<Void> done = calls.incrementAndGet() == 1 ? slow.future() : Future.succeededFuture();
                    return done.onSuccess(v -> batch.forEach((k, n) -> written.merge(k, n, Long::sum)));
                });
        writer.record("a", 1L);
        writer.flush();
        waitFor(() -> calls.get() == 1);
        writer.record("a", 2L);
        Future<Void> closed = writer.close();
        Thread.sleep(100);
        assertThat(closed.isComplete()).as("waits for the batch in flight").isFalse();
        slow.complete();
        await(closed);
        assertThat(written).containsExactly(Map.entry("a", 3L));
    }

    /** Keys and values in the same order. */
    private static Long[] keys(Map<Long, Long> batch) {
        return batch.keySet().toArray(Long[]::new);
    }

    private static Long[] values(Map<Long, Long> batch) {
        return batch.keySet().stream().map(batch::get).toArray(Long[]::new);
    }

    private static void recordInChunks(BatchedWriter<Long, Long> writer, int keys, int count) {
        for (int i = 0; i < count; i++) {
            writer.record((long) (i % keys), 1L);
            if (i % 1000 == 999) {
                sleepQuietly(2);
            }
        }
    }

    /** Records from an event loop, a chunk per timer tick, so the loop also runs other callbacks in between. */
    private static final class Recorder extends VerticleBase {
        private final BatchedWriter<Long, Long> writer;
        private final int keys;
        private final int count;
        private final CompletableFuture<Void> done;
        private int recorded;

        Recorder(BatchedWriter<Long, Long> writer, int keys, int count, CompletableFuture<Void> done) {
            this.writer = writer;
            this.keys = keys;
            this.count = count;
            this.done = done;
        }

        @Override
        public Future<?> start() {
            vertx.setTimer(1, id -> chunk());
            return Future.succeededFuture();
        }

        private void chunk() {
            for (int i = 0; i < 1000 && recorded < count; i++, recorded++) {
                writer.record((long) (recorded % keys), 1L);
            }
            if (recorded < count) {
                vertx.setTimer(2, id -> chunk());
            } else {
                done.complete(null);
            }
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (long deadline = System.nanoTime() + 10_000_000_000L; !condition.getAsBoolean(); Thread.sleep(10)) {
            assertThat(System.nanoTime()).as("waited too long").isLessThan(deadline);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
