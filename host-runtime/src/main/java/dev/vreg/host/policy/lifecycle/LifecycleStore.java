package dev.vreg.host.policy.lifecycle;

import dev.vreg.host.db.Rows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The one reader and writer of {@code lifecycle_policies} and {@code lifecycle_runs}. */
public final class LifecycleStore {

    /** A registry that sees the entries of a policy, for its audit events. */
    public record Audience(long registryId, String registry) {
    }

    /** What a run did; {@code outcome} is running, succeeded or failed. */
    public record Run(long id, long policyId, String trigger, String node, Instant startedAt, Instant finishedAt,
                      String outcome, int entriesDeleted, long bytesDeleted, long bytesReclaimed, String error) {

        public JsonObject json() {
            return new JsonObject().put("id", id).put("trigger", trigger).put("node", node)
                    .put("startedAt", startedAt.atOffset(ZoneOffset.UTC).toString())
                    .put("finishedAt", finishedAt == null ? null : finishedAt.atOffset(ZoneOffset.UTC).toString())
                    .put("durationMs", finishedAt == null ? null : finishedAt.toEpochMilli() - startedAt.toEpochMilli())
                    .put("outcome", outcome).put("entriesDeleted", entriesDeleted).put("bytesDeleted", bytesDeleted)
                    .put("reclaimedBytes", bytesReclaimed).put("error", error);
        }
    }

    private static final String SELECT = """
            SELECT p.*, r.name AS registry_name,
                   COALESCE(r.format, (SELECT lr.format FROM registry_upstreams ru
                                         JOIN registries lr ON lr.id = ru.registry_id
                                        WHERE ru.upstream_id = p.upstream_id ORDER BY lr.id LIMIT 1)) AS format
              FROM lifecycle_policies p LEFT JOIN registries r ON r.id = p.registry_id""";

    private final Pool pool;

    public LifecycleStore(Pool pool) {
        this.pool = pool;
    }

    public Future<List<LifecyclePolicy>> all() {
        return pool.query(SELECT + " ORDER BY p.id").execute().map(LifecycleStore::policies);
    }

    /** The policy of a registry or an upstream, or {@code null}. */
    public Future<LifecyclePolicy> find(Long registryId, Long upstreamId) {
        return pool.preparedQuery(SELECT + " WHERE p.registry_id = $1 OR p.upstream_id = $2")
                .execute(Tuple.of(registryId, upstreamId))
                .map(rows -> policies(rows).stream().findFirst().orElse(null));
    }

    /** Sets the policy of a registry or (with {@code registryId} null) an upstream of group {@code groupId}. */
    public Future<LifecyclePolicy> save(long groupId, Long registryId, Long upstreamId,
                                        LifecyclePolicy.Settings settings) {
        String target = registryId != null ? "registry_id" : "upstream_id";
        return pool.preparedQuery("INSERT INTO lifecycle_policies (group_id, " + target + ", unused_days, keep_newest,"
                        + " every_seconds, enabled) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (" + target + ")"
                        + " DO UPDATE SET unused_days = EXCLUDED.unused_days, keep_newest = EXCLUDED.keep_newest,"
                        + " every_seconds = EXCLUDED.every_seconds, enabled = EXCLUDED.enabled, updated_at = now()")
                .execute(Tuple.of(groupId, registryId != null ? registryId : upstreamId, settings.unusedDays(),
                        settings.keepNewest(), settings.every().toSeconds(), settings.enabled()))
                .compose(v -> find(registryId, upstreamId));
    }

    /** Deletes a policy with its runs; answers whether there was one. */
    public Future<Boolean> delete(long id) {
        return pool.preparedQuery("DELETE FROM lifecycle_policies WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The upstreams whose entries the policy covers: its upstream, or those its registry links. */
    public Future<List<Long>> upstreams(LifecyclePolicy policy) {
        if (policy.upstreamId() != null) {
            return Future.succeededFuture(List.of(policy.upstreamId()));
        }
        return pool.preparedQuery("SELECT upstream_id FROM registry_upstreams WHERE registry_id = $1")
                .execute(Tuple.of(policy.registryId())).map(rows -> {
                    List<Long> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getLong(0)));
                    return ids;
                });
    }

    /** The registries whose audit log records the policy's deletions: its own, or every one linking its upstream. */
    public Future<List<Audience>> audience(LifecyclePolicy policy) {
        if (policy.registryId() != null) {
            return Future.succeededFuture(List.of(new Audience(policy.registryId(), policy.registry())));
        }
        return pool.preparedQuery("SELECT r.id, r.name FROM registry_upstreams ru JOIN registries r"
                        + " ON r.id = ru.registry_id WHERE ru.upstream_id = $1 ORDER BY r.id")
                .execute(Tuple.of(policy.upstreamId())).map(rows -> {
                    List<Audience> audience = new ArrayList<>();
                    rows.forEach(row -> audience.add(new Audience(row.getLong(0), row.getString(1))));
                    return audience;
                });
    }

    /**
     * Records the start of a run. Only the holder of the policy's job lock starts one, so a run still recorded as
     * running was cut short (its node died); it is recorded as failed first.
     */
    public Future<Long> started(long policyId, boolean manual, String node, Instant at) {
        return pool.withTransaction(conn -> conn.preparedQuery("UPDATE lifecycle_runs SET outcome = 'failed',"
                        + " finished_at = $2, error = 'interrupted: node ' || node || ' stopped before the run ended'"
                        + " WHERE policy_id = $1 AND outcome = 'running'")
                .execute(Tuple.of(policyId, at.atOffset(ZoneOffset.UTC)))
                .compose(v -> conn.preparedQuery("INSERT INTO lifecycle_runs (policy_id, trigger, node, started_at,"
                                + " outcome) VALUES ($1, $2, $3, $4, 'running') RETURNING id")
                        .execute(Tuple.of(policyId, manual ? "manual" : "scheduled", node,
                                at.atOffset(ZoneOffset.UTC))))
                .map(rows -> rows.iterator().next().getLong(0)));
    }

    public Future<Void> finished(long runId, Instant at, int entries, long bytes, long reclaimed, String error) {
        return pool.preparedQuery("UPDATE lifecycle_runs SET finished_at = $2, entries_deleted = $3,"
                        + " bytes_deleted = $4, bytes_reclaimed = $5, error = $6,"
                        + " outcome = CASE WHEN $6::text IS NULL THEN 'succeeded' ELSE 'failed' END WHERE id = $1")
                .execute(Tuple.from(new Object[] {runId, at.atOffset(ZoneOffset.UTC), entries, bytes, reclaimed,
                        error}))
                .mapEmpty();
    }

    /** The policy's latest runs, newest first. */
    public Future<List<Run>> runs(long policyId, int limit) {
        return pool.preparedQuery("SELECT * FROM lifecycle_runs WHERE policy_id = $1 ORDER BY id DESC LIMIT $2")
                .execute(Tuple.of(policyId, limit)).map(rows -> {
                    List<Run> runs = new ArrayList<>();
                    rows.forEach(row -> runs.add(new Run(row.getLong("id"), row.getLong("policy_id"),
                            row.getString("trigger"), row.getString("node"), Rows.instant(row, "started_at"),
                            Rows.instant(row, "finished_at"), row.getString("outcome"),
                            row.getInteger("entries_deleted"), row.getLong("bytes_deleted"),
                            row.getLong("bytes_reclaimed"), row.getString("error"))));
                    return runs;
                });
    }

    private static List<LifecyclePolicy> policies(RowSet<Row> rows) {
        List<LifecyclePolicy> policies = new ArrayList<>();
        for (Row row : rows) {
            policies.add(new LifecyclePolicy(row.getLong("id"), row.getLong("group_id"), row.getLong("registry_id"),
                    row.getString("registry_name"), row.getLong("upstream_id"), row.getString("format"),
                    new LifecyclePolicy.Settings(row.getInteger("unused_days"), row.getInteger("keep_newest"),
                            (int) (row.getLong("every_seconds") / 3600), row.getBoolean("enabled")),
                    Rows.instant(row, "updated_at")));
        }
        return policies;
    }
}
