package dev.vreg.host.policy;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The one reader and writer of {@code audit_events}. */
public final class AuditLog {

    /** A page of events, newest first, and the cursor of the next (older) page or {@code null}. */
    public record Page(List<AuditEvent> events, String next) {
    }

    private final Pool pool;

    public AuditLog(Pool pool) {
        this.pool = pool;
    }

    /** Writes a batch of events; the map's keys only keep them apart while they wait. */
    public Future<Void> write(Map<Long, AuditEvent> batch) {
        if (batch.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Tuple> rows = new ArrayList<>();
        for (AuditEvent e : batch.values()) {
            rows.add(Tuple.tuple().addLong(e.registryId())
                    .addValue(OffsetDateTime.ofInstant(e.occurredAt(), ZoneOffset.UTC)).addString(e.action())
                    .addString(e.actor()).addString(e.registry()).addString(e.module()).addString(e.version())
                    .addInteger(e.rule()).addString(e.reason()));
        }
        // An event of a registry deleted meanwhile has no group left to be seen in: it is dropped with it.
        return pool.preparedQuery("""
                        INSERT INTO audit_events (group_id, occurred_at, action, actor, registry, module, version,
                                                  rule, reason)
                        SELECT r.group_id, $2, $3, $4, $5, $6, $7, $8, $9 FROM registries r WHERE r.id = $1""")
                .executeBatch(rows).mapEmpty();
    }

    /**
     * The group's events in {@code [from, to)}, newest first, at most {@code limit}, starting after {@code cursor}
     * (the {@link Page#next} of the page before) when given.
     */
    public Future<Page> page(long groupId, Instant from, Instant to, Long cursor, int limit) {
        return pool.preparedQuery("""
                        SELECT id, occurred_at, action, actor, registry, module, version, rule, reason
                        FROM audit_events
                        WHERE group_id = $1 AND occurred_at >= $2 AND occurred_at < $3 AND ($4::bigint IS NULL OR id < $4)
                        ORDER BY id DESC LIMIT $5""")
                .execute(Tuple.of(groupId, OffsetDateTime.ofInstant(from, ZoneOffset.UTC),
                        OffsetDateTime.ofInstant(to, ZoneOffset.UTC), cursor, limit + 1))
                .map(rows -> {
                    List<AuditEvent> events = new ArrayList<>();
                    for (Row row : rows) {
                        events.add(new AuditEvent(row.getLong("id"), row.getOffsetDateTime("occurred_at").toInstant(),
                                row.getString("action"), row.getString("actor"), 0, row.getString("registry"),
                                row.getString("module"), row.getString("version"), row.getInteger("rule"),
                                row.getString("reason")));
                    }
                    if (events.size() <= limit) {
                        return new Page(events, null);
                    }
                    events = events.subList(0, limit);
                    return new Page(List.copyOf(events), Long.toString(events.get(limit - 1).id()));
                });
    }
}
