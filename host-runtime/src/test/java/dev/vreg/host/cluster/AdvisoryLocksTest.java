package dev.vreg.host.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.db.DatabaseEndpoint;
import dev.vreg.host.db.postgres.EmbeddedPostgres;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.upstream.Await;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlClient;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A lock tried together with a read: the read runs on the lock's session, behind the lock, in the same round trip. */
class AdvisoryLocksTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long KEY = 4242;

    static EmbeddedPostgres postgres;
    static DatabaseEndpoint endpoint;
    static Vertx vertx;
    AdvisoryLocks nodeA;
    AdvisoryLocks nodeB;

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = EmbeddedPostgres.start(TestVreg.newDataDir());
        endpoint = new DatabaseEndpoint(postgres.host(), postgres.port(), postgres.database(), postgres.user(),
                postgres.password());
        vertx = Vertx.vertx();
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
        nodeA = new AdvisoryLocks(vertx, endpoint::connectOptions);
        nodeB = new AdvisoryLocks(vertx, endpoint::connectOptions);
    }

    @AfterEach
    void closeNodes() {
        nodeA.close();
        nodeB.close();
    }

    /** How many advisory locks the session the read runs on holds at that moment. */
    private static final Function<SqlClient, Future<Long>> LOCKS_OF_THE_SESSION = session -> session
            .query("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
            .execute().map(rows -> rows.iterator().next().getLong(0));

    @Test
    void theReadRunsOnTheLocksSessionOnceTheLockIsTaken() {
        AdvisoryLocks.Tried<Long> tried = Await.result(nodeA.tryLockThen(KEY, LOCKS_OF_THE_SESSION), WAIT);

        assertThat(tried.held()).isNotNull();
        assertThat(tried.read()).isEqualTo(1L);
        assertThat(tried.readFailure()).isNull();
        Await.result(nodeA.unlock(tried.held()), WAIT);
        assertThat(Await.result(nodeB.tryLock(KEY), WAIT)).isNotNull();
    }

    @Test
    void aLockHeldElsewhereIsNotTakenAndTheReadIsLeftOutFailedOrNot() {
        AdvisoryLocks.Held heldByA = Await.result(nodeA.tryLock(KEY), WAIT);
        assertThat(heldByA).isNotNull();

        AdvisoryLocks.Tried<Long> tried = Await.result(nodeB.tryLockThen(KEY,
                session -> session.query("SELECT no_such_column FROM pg_locks").execute().map(rows -> 0L)), WAIT);

        assertThat(tried.held()).isNull();
        assertThat(tried.read()).isNull();
        assertThat(tried.readFailure()).isNull();
        Await.result(nodeA.unlock(heldByA), WAIT);
    }

    @Test
    void aFailedReadBehindATakenLockIsReportedWithTheLockForTheCallerToRelease() {
        AdvisoryLocks.Tried<Long> tried = Await.result(nodeA.tryLockThen(KEY,
                session -> session.query("SELECT no_such_column FROM pg_locks").execute().map(rows -> 0L)), WAIT);

        assertThat(tried.held()).isNotNull();
        assertThat(tried.readFailure()).hasMessageContaining("no_such_column");
        assertThat(Await.result(nodeB.tryLock(KEY), WAIT)).isNull();
        Await.result(nodeA.unlock(tried.held()), WAIT);
        assertThat(Await.result(nodeB.tryLock(KEY), WAIT)).isNotNull();
    }
}
