package dev.vreg.host.policy;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The one reader and writer of {@code audit_events}. */
public final class AuditLog {

    /** A page of events, newest first, and the cursor of the next (older) page or {@code null}. */
    public record Page(List<AuditEvent> events, String next) {
    }

    /**
     * Which events to read: those of group {@code groupId} (every group's and the instance's when {@code null}, then
     * narrowed to {@code groupName} when given), in {@code [from, to)}, older than {@code cursor} when given, and
     * matching each filter given: {@code actor} (the user or token, with or without " from ADDRESS"), {@code action}
     * (exact, or a prefix ending in {@code *}), {@code registry}.
     */
    public record Query(Long groupId, String groupName, Instant from, Instant to, String actor, String action,
                        String registry, Long cursor, int limit) {

        public Query after(long id) {
            return new Query(groupId, groupName, from, to, actor, action, registry, id, limit);
        }
    }

    /** How many rows one statement of {@link #expire} deletes at most, so no statement holds locks for long. */
    private static final int EXPIRY_BATCH = 5_000;

    /** Who else hears of events: it queues its notifications in the transaction that writes them. */
    public interface Notifier {
        /** Queues what {@code events} start, with {@code client}; answers how many notifications it queued. */
        Future<Integer> queue(SqlClient client, List<AuditEvent> events);

        /** Called after the transaction committed, when it queued any. */
        void queued();
    }

    private final Pool pool;
    private volatile Notifier notifier;

    public AuditLog(Pool pool) {
        this.pool = pool;
    }

    /** Has {@code notifier} queue its notifications with every batch written from now on. */
    public AuditLog notifying(Notifier notifier) {
        this.notifier = notifier;
        return this;
    }

    /**
     * Writes a batch of events, and the notifications they start, in one transaction, so a batch written again after
     * a failure doubles neither; the map's keys only keep the events apart while they wait.
     */
    public Future<Void> write(Map<Long, AuditEvent> batch) {
        List<AuditEvent> events = inOrder(batch);
        Notifier n = notifier;
        if (n == null || events.isEmpty()) {
            return write(pool, events);
        }
        return pool.withTransaction(client -> write(client, events).compose(v -> n.queue(client, events)))
                .map(queued -> {
                    if (queued > 0) {
                        n.queued();
                    }
                    return null;
                });
    }

    /** The events of a batch in the order they were recorded (the keys count up), so ids follow that order. */
    public static List<AuditEvent> inOrder(Map<Long, AuditEvent> batch) {
        return batch.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList();
    }

    /** Writes {@code events} with {@code client}, e.g. inside a transaction that also queues their notifications. */
    public Future<Void> write(SqlClient client, Collection<AuditEvent> events) {
        if (events.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Tuple> rows = new ArrayList<>();
        for (AuditEvent e : events) {
            rows.add(Tuple.tuple().addLong(e.registryId()).addString(e.groupName())
                    .addValue(OffsetDateTime.ofInstant(e.occurredAt(), ZoneOffset.UTC)).addString(e.action())
                    .addString(e.actor()).addString(e.registry()).addString(e.module()).addString(e.version())
                    .addInteger(e.rule()).addString(e.reason()).addString(e.target()).addString(e.address())
                    .addValue(e.before()).addValue(e.after()));
        }
        // An event of a registry deleted meanwhile has no group left to be seen in: it is dropped with it. An event
        // of a group deleted meanwhile keeps the group's name.
        return client.preparedQuery("""
                        INSERT INTO audit_events (group_id, group_name, occurred_at, action, actor, registry, module,
                                                  version, rule, reason, target, address, before, after)
                        SELECT g.id, COALESCE(g.name, $2::text), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb,
                               $14::jsonb
                        FROM (SELECT 1) one
                        LEFT JOIN registries r ON r.id = $1::bigint
                        LEFT JOIN groups g ON g.id = COALESCE(r.group_id, (SELECT id FROM groups WHERE name = $2))
                        WHERE $1 = 0 OR r.id IS NOT NULL""")
                .executeBatch(rows).mapEmpty();
    }

    /**
     * The group's events in {@code [from, to)}, newest first, at most {@code limit}, starting after {@code cursor}
     * (the {@link Page#next} of the page before) when given.
     */
    public Future<Page> page(long groupId, Instant from, Instant to, Long cursor, int limit) {
        return page(new Query(groupId, null, from, to, null, null, null, cursor, limit));
    }

    public Future<Page> page(Query q) {
        return pool.preparedQuery("""
                        SELECT id, occurred_at, action, actor, group_name, registry, module, version, rule, reason,
                               target, address, before, after
                        FROM audit_events
                        WHERE ($1::bigint IS NULL OR group_id = $1) AND occurred_at >= $2 AND occurred_at < $3
                          AND ($4::bigint IS NULL OR id < $4)
                          AND ($5::text IS NULL OR actor = $5 OR starts_with(actor, $5 || ' from '))
                          AND ($6::text IS NULL OR action = $6
                               OR (right($6, 1) = '*' AND starts_with(action, left($6, -1))))
                          AND ($7::text IS NULL OR registry = $7)
                          AND ($8::text IS NULL OR group_name = $8)
                        ORDER BY id DESC LIMIT $9""")
                .execute(Tuple.of(q.groupId(), OffsetDateTime.ofInstant(q.from(), ZoneOffset.UTC),
                        OffsetDateTime.ofInstant(q.to(), ZoneOffset.UTC), q.cursor(), q.actor(), q.action(),
                        q.registry(), q.groupName(), q.limit() + 1))
                .map(rows -> {
                    List<AuditEvent> events = new ArrayList<>();
                    for (Row row : rows) {
                        events.add(new AuditEvent(row.getLong("id"), row.getOffsetDateTime("occurred_at").toInstant(),
                                row.getString("action"), row.getString("actor"), row.getString("group_name"), 0,
                                row.getString("registry"), row.getString("module"), row.getString("version"),
                                row.getInteger("rule"), row.getString("reason"), row.getString("target"),
                                row.getString("address"), json(row, "before"), json(row, "after")));
                    }
                    if (events.size() <= q.limit()) {
                        return new Page(events, null);
                    }
                    events = events.subList(0, q.limit());
                    return new Page(List.copyOf(events), Long.toString(events.get(q.limit() - 1).id()));
                });
    }

    /** Deletes the events that occurred before {@code before}, in bounded batches; answers how many went. */
    public Future<Long> expire(Instant before) {
        return expire(OffsetDateTime.ofInstant(before, ZoneOffset.UTC), 0);
    }

    private Future<Long> expire(OffsetDateTime before, long deleted) {
        return pool.preparedQuery("""
                        DELETE FROM audit_events WHERE id IN
                            (SELECT id FROM audit_events WHERE occurred_at < $1 ORDER BY occurred_at LIMIT $2)""")
                .execute(Tuple.of(before, EXPIRY_BATCH))
                .compose(rows -> rows.rowCount() < EXPIRY_BATCH ? Future.succeededFuture(deleted + rows.rowCount())
                        : expire(before, deleted + rows.rowCount()));
    }

    private static JsonObject json(Row row, String column) {
        Object value = row.getValue(column);
        return value instanceof JsonObject o ? o : null;
    }
}
