package dev.vreg.host.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.cluster.AdvisoryLocks;
import dev.vreg.host.db.DatabaseEndpoint;
import dev.vreg.host.db.Migrations;
import dev.vreg.host.db.postgres.EmbeddedPostgres;
import dev.vreg.host.stats.UsageMeters;
import dev.vreg.host.support.MovableClock;
import dev.vreg.host.support.TestVreg;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import dev.vreg.testkit.upstream.Await;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two job runners, as two nodes would have, on one real PostgreSQL: at every tick only one of them runs a due job,
 * and when the session holding the lock of a running job dies, the other runs the job at its next tick, while the
 * first run's late end leaves the record of the one that took over alone.
 */
class JobRunnerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    static EmbeddedPostgres postgres;
    static Vertx vertx;
    static Pool pool;
    static DatabaseEndpoint endpoint;

    final MovableClock clock = new MovableClock();
    final SimpleMeterRegistry metersA = new SimpleMeterRegistry();
    final SimpleMeterRegistry metersB = new SimpleMeterRegistry();
    AdvisoryLocks locksA;
    AdvisoryLocks locksB;
    JobRunner nodeA;
    JobRunner nodeB;

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = EmbeddedPostgres.start(TestVreg.newDataDir());
        endpoint = new DatabaseEndpoint(postgres.host(), postgres.port(), postgres.database(), postgres.user(),
                postgres.password());
        Migrations.migrate(endpoint);
        vertx = Vertx.vertx();
        pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4)).connectingTo(endpoint.connectOptions())
                .using(vertx).build();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        if (vertx != null) {
            Await.result(vertx.close(), WAIT);
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void twoNodes() {
        Await.result(pool.query("DELETE FROM scheduled_jobs").execute(), WAIT);
        locksA = new AdvisoryLocks(vertx, endpoint::connectOptions);
        locksB = new AdvisoryLocks(vertx, endpoint::connectOptions);
        JobStore store = new JobStore(pool);
        nodeA = new JobRunner(vertx, store, locksA, new UsageMeters(metersA), clock, "node-a");
        nodeB = new JobRunner(vertx, store, locksB, new UsageMeters(metersB), clock, "node-b");
    }

    @AfterEach
    void closeNodes() {
        locksA.close();
        locksB.close();
    }

    @Test
    void onlyOneNodeRunsADueJobAtEachTickAndTheNextRunIsDueAfterTheInterval() {
        AtomicInteger runs = new AtomicInteger();
        for (JobRunner node : List.of(nodeA, nodeB)) {
            node.add(new Job("sweep", "sweep", Duration.ofHours(1), run -> {
                runs.incrementAndGet();
                // Long enough for the other node's ticks to find the lock taken.
                return Future.future(p -> vertx.setTimer(200, id -> p.complete()));
            }));
        }
        for (int tick = 0; tick < 10; tick++) {
            Await.result(Future.join(nodeA.tick(), nodeB.tick()), WAIT);
        }
        awaitIdle();
        // Ticks after the run ended find it not due.
        for (int tick = 0; tick < 5; tick++) {
            Await.result(Future.join(nodeA.tick(), nodeB.tick()), WAIT);
        }
        awaitIdle();
        assertThat(runs).hasValue(1);
        JobStore.State first = state("sweep");
        assertThat(first.outcome()).isEqualTo("succeeded");
        assertThat(first.node()).isIn("node-a", "node-b");
        assertThat(first.finishedAt()).isAfterOrEqualTo(first.startedAt());

        clock.advance(Duration.ofHours(1));
        for (int tick = 0; tick < 10; tick++) {
            Await.result(Future.join(nodeB.tick(), nodeA.tick()), WAIT);
        }
        awaitIdle();
        assertThat(runs).hasValue(2);
        assertThat(state("sweep").run()).isEqualTo(2);
        assertThat(successes(metersA) + successes(metersB)).isEqualTo(2);
    }

    @Test
    void whenTheLockSessionOfTheRunningNodeDiesTheOtherNodeRunsTheJobAtItsNextTick() {
        Promise<Void> stuck = Promise.promise();
        AtomicInteger runsOnB = new AtomicInteger();
        nodeA.add(new Job("collect", "collect", Duration.ofHours(1), run -> stuck.future()));
        nodeB.add(new Job("collect", "collect", Duration.ofHours(1), run -> {
            runsOnB.incrementAndGet();
            return Future.succeededFuture();
        }));
        Await.result(nodeA.tick(), WAIT);
        assertThat(state("collect").node()).isEqualTo("node-a");
        assertThat(state("collect").running()).isTrue();

        // While node A holds the lock, node B neither runs the job at its ticks nor when asked to.
        Await.result(nodeB.tick(), WAIT);
        Throwable refused = Await.failure(nodeB.runNow("collect"), WAIT);
        assertThat(refused).isInstanceOfSatisfying(VregException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
        assertThat(refused).hasMessageContaining("node-a");
        assertThat(runsOnB).hasValue(0);

        // Node A's lock session dies as it would with the node: the server ends the backend holding the lock.
        long key = JobRunner.lockKey("collect");
        assertThat(Await.result(pool.preparedQuery("""
                        SELECT pg_terminate_backend(pid) FROM pg_locks
                         WHERE locktype = 'advisory' AND classid::text::bigint = $1 AND objid::text::bigint = $2
                           AND objsubid = 1""")
                .execute(Tuple.of(key >>> 32, key & 0xffffffffL)), WAIT).rowCount())
                .isEqualTo(1);

        await(() -> {
            Await.result(nodeB.tick(), WAIT);
            return runsOnB.get() == 1 && !nodeB.runningHere().contains("collect");
        });
        JobStore.State takenOver = state("collect");
        assertThat(takenOver.node()).isEqualTo("node-b");
        assertThat(takenOver.outcome()).isEqualTo("succeeded");
        assertThat(takenOver.run()).isEqualTo(2);

        // Node A's run ends late: the record stays node B's.
        stuck.complete();
        await(() -> !nodeA.runningHere().contains("collect"));
        assertThat(state("collect")).isEqualTo(takenOver);
        assertThat(runsOnB).hasValue(1);
    }

    @Test
    void aFailedRunIsRecordedWithItsErrorAndCounted() {
        nodeA.add(new Job("broken", "broken", Duration.ofHours(1),
                run -> Future.failedFuture(new IllegalStateException("the store is away"))));
        Await.result(nodeA.tick(), WAIT);
        awaitIdle();
        JobStore.State state = state("broken");
        assertThat(state.outcome()).isEqualTo("failed");
        assertThat(state.error()).isEqualTo("the store is away");
        assertThat(metersA.get("vreg.job.runs").tags("job", "broken", "result", "failure").counter().count())
                .isEqualTo(1);
        assertThat(Await.result(nodeA.describe(), WAIT).getJsonObject(0).getJsonObject("lastRun")
                .getString("error")).isEqualTo("the store is away");
    }

    private static double successes(SimpleMeterRegistry meters) {
        Counter counter = meters.find("vreg.job.runs").tags("result", "success").counter();
        return counter == null ? 0 : counter.count();
    }

    private static JobStore.State state(String name) {
        return Await.result(new JobStore(pool).state(name), WAIT);
    }

    private void awaitIdle() {
        await(() -> nodeA.runningHere().isEmpty() && nodeB.runningHere().isEmpty());
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited too long").isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
