package dev.vreg.host.jobs;

import dev.vreg.host.db.Rows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** The one reader and writer of {@code scheduled_jobs}: each job's last run, whichever node ran it. */
public final class JobStore {

    /** A job's last run as recorded; {@code outcome} is running, succeeded or failed. */
    public record State(String name, long run, Instant startedAt, Instant finishedAt, String outcome, String error,
                        String node) {

        public static final String RUNNING = "running";

        public boolean running() {
            return RUNNING.equals(outcome);
        }

        /** Whether a run is due at {@code now}: never run, a run left unfinished, or the interval since the last start. */
        public static boolean due(State state, Duration every, Instant now) {
            return state == null || state.startedAt() == null || state.running()
                    || !state.startedAt().plus(every).isAfter(now);
        }

        public JsonObject json() {
            return new JsonObject().put("run", run).put("startedAt", text(startedAt))
                    .put("finishedAt", text(finishedAt)).put("outcome", outcome).put("error", error)
                    .put("node", node);
        }
    }

    private final Pool pool;

    public JobStore(Pool pool) {
        this.pool = pool;
    }

    public Future<Map<String, State>> states() {
        return pool.query("SELECT * FROM scheduled_jobs").execute().map(rows -> {
            Map<String, State> states = new HashMap<>();
            rows.forEach(row -> states.put(row.getString("name"), state(row)));
            return states;
        });
    }

    /** The job's state, or {@code null} when it never ran. */
    public Future<State> state(String name) {
        return pool.preparedQuery("SELECT * FROM scheduled_jobs WHERE name = $1").execute(Tuple.of(name))
                .map(rows -> rows.size() == 0 ? null : state(rows.iterator().next()));
    }

    /** Records the start of a run by {@code node}; answers the run's number. Only the lock holder calls it. */
    public Future<Long> started(Job job, String node, Instant at) {
        return pool.preparedQuery("""
                        INSERT INTO scheduled_jobs (name, every_seconds, run, last_started_at, last_outcome, last_node)
                        VALUES ($1, $2, 1, $3, 'running', $4)
                        ON CONFLICT (name) DO UPDATE SET every_seconds = EXCLUDED.every_seconds,
                            run = scheduled_jobs.run + 1, last_started_at = EXCLUDED.last_started_at,
                            last_finished_at = NULL, last_outcome = 'running', last_error = NULL,
                            last_node = EXCLUDED.last_node
                        RETURNING run""")
                .execute(Tuple.of(job.name(), Math.max(1, job.every().toSeconds()), at.atOffset(ZoneOffset.UTC), node))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * Records how run {@code run} ended ({@code error} null: it succeeded). A run that lost its lock and was taken
     * over by another node is no longer the job's last one; its end is not recorded.
     */
    public Future<Boolean> finished(String name, long run, Instant at, String error) {
        return pool.preparedQuery("""
                        UPDATE scheduled_jobs SET last_finished_at = $3,
                               last_outcome = CASE WHEN $4::text IS NULL THEN 'succeeded' ELSE 'failed' END,
                               last_error = $4
                         WHERE name = $1 AND run = $2""")
                .execute(Tuple.of(name, run, at.atOffset(ZoneOffset.UTC), error))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Forgets a job that no longer exists (its lifecycle policy was deleted). */
    public Future<Void> forget(String name) {
        return pool.preparedQuery("DELETE FROM scheduled_jobs WHERE name = $1").execute(Tuple.of(name)).mapEmpty();
    }

    private static State state(Row row) {
        return new State(row.getString("name"), row.getLong("run"), Rows.instant(row, "last_started_at"),
                Rows.instant(row, "last_finished_at"), row.getString("last_outcome"), row.getString("last_error"),
                row.getString("last_node"));
    }

    static String text(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC).toString();
    }
}
