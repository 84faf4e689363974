package dev.vreg.host.audit;

import dev.vreg.host.secrets.CredentialCipher;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The one reader and writer of {@code webhooks} and {@code webhook_deliveries}. */
public final class WebhookStore {

    /** A webhook as shown; its secret never leaves the store but to be used. */
    public record Webhook(long id, String url, List<String> events, String description, boolean enabled,
                          Instant createdAt, Instant updatedAt) {

        public JsonObject json() {
            return new JsonObject().put("id", id).put("url", url).put("events", new io.vertx.core.json.JsonArray(
                            events)).put("description", description).put("enabled", enabled)
                    .put("createdAt", createdAt.toString()).put("updatedAt", updatedAt.toString());
        }
    }

    /** What a change sets; {@code null} fields stay as they are. */
    public record Change(String url, List<String> events, byte[] secret, String description, Boolean enabled) {
    }

    /** One event for one webhook, as the log shows it. */
    public record Delivery(long id, long webhookId, String event, JsonObject payload, String state, int attempts,
                           Instant createdAt, Instant lastAttemptAt, Instant nextAttemptAt, Integer lastStatus,
                           String lastResponse) {

        public JsonObject json() {
            return new JsonObject().put("id", id).put("webhookId", webhookId).put("event", event)
                    .put("state", state).put("attempts", attempts).put("createdAt", createdAt.toString())
                    .put("lastAttemptAt", time(lastAttemptAt))
                    .put("nextAttemptAt", "pending".equals(state) ? time(nextAttemptAt) : null)
                    .put("lastStatus", lastStatus).put("lastResponse", lastResponse).put("payload", payload);
        }
    }

    /** A delivery claimed for sending, with what sending needs. */
    public record Due(long id, long webhookId, String url, byte[] secret, String event, JsonObject payload,
                      int attempts) {
    }

    private static final String WEBHOOK = "id, url, events, description, enabled, created_at, updated_at";
    private static final String DELIVERY = "id, webhook_id, event, payload, state, attempts, created_at, "
            + "last_attempt_at, next_attempt_at, last_status, last_response";

    private final Pool pool;

    public WebhookStore(Pool pool) {
        this.pool = pool;
    }

    public Future<Webhook> create(long groupId, String url, List<String> events, byte[] secret, String description,
                                  boolean enabled, Instant now) {
        return pool.preparedQuery("INSERT INTO webhooks (group_id, url, events, secret, description, enabled, "
                        + "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING " + WEBHOOK)
                .execute(Tuple.of(groupId, url, events.toArray(String[]::new), Buffer.buffer(
                        secret), description, enabled, utc(now)))
                .map(rows -> webhook(rows.iterator().next()));
    }

    public Future<List<Webhook>> list(long groupId) {
        return pool.preparedQuery("SELECT " + WEBHOOK + " FROM webhooks WHERE group_id = $1 ORDER BY id")
                .execute(Tuple.of(groupId))
                .map(rows -> {
                    List<Webhook> list = new ArrayList<>();
                    rows.forEach(row -> list.add(webhook(row)));
                    return list;
                });
    }

    /** The group's webhook {@code id}; fails with NOT_FOUND when the group has none of that id. */
    public Future<Webhook> get(long groupId, long id) {
        return pool.preparedQuery("SELECT " + WEBHOOK + " FROM webhooks WHERE group_id = $1 AND id = $2")
                .execute(Tuple.of(groupId, id))
                .map(rows -> webhook(one(rows, id)));
    }

    public Future<Webhook> update(long groupId, long id, Change change, Instant now) {
        return pool.preparedQuery("""
                        UPDATE webhooks SET url = COALESCE($3, url), events = COALESCE($4, events),
                               secret = COALESCE($5, secret), description = CASE WHEN $6 THEN $7 ELSE description END,
                               enabled = COALESCE($8, enabled), updated_at = $9
                        WHERE group_id = $1 AND id = $2 RETURNING\s""" + WEBHOOK)
                .execute(Tuple.tuple().addLong(groupId).addLong(id).addString(change.url())
                        .addArrayOfString(change.events() == null ? null : change.events().toArray(String[]::new))
                        .addBuffer(change.secret() == null ? null : Buffer.buffer(
                                change.secret()))
                        .addBoolean(change.description() != null).addString(change.description())
                        .addBoolean(change.enabled()).addValue(utc(now)))
                .map(rows -> webhook(one(rows, id)));
    }

    public Future<Void> delete(long groupId, long id) {
        return pool.preparedQuery("DELETE FROM webhooks WHERE group_id = $1 AND id = $2 RETURNING id")
                .execute(Tuple.of(groupId, id))
                .map(rows -> {
                    one(rows, id);
                    return null;
                });
    }

    /**
     * Queues a delivery of each notice to every enabled webhook of its group that takes its kind; answers how many
     * were queued.
     */
    public Future<Integer> enqueue(SqlClient client, List<Webhooks.Notice> notices) {
        List<Tuple> rows = new ArrayList<>();
        for (Webhooks.Notice n : notices) {
            rows.add(Tuple.tuple().addLong(n.registryId()).addString(n.group()).addString(n.kind())
                    .addValue(n.payload()).addValue(utc(n.occurredAt())));
        }
        return client.preparedQuery("""
                        INSERT INTO webhook_deliveries (webhook_id, event, payload, state, next_attempt_at, created_at)
                        SELECT w.id, $3::text, jsonb_set($4::jsonb, '{group}', to_jsonb(g.name)), 'pending',
                               $5::timestamptz, $5::timestamptz
                        FROM webhooks w JOIN groups g ON g.id = w.group_id
                        WHERE w.enabled AND $3::text = ANY (w.events) AND w.group_id = COALESCE(
                            (SELECT group_id FROM registries WHERE id = $1::bigint),
                            (SELECT id FROM groups WHERE name = $2::text))""")
                .executeBatch(rows)
                .map(WebhookStore::rowCounts);
    }

    /** Queues one delivery of {@code payload} to webhook {@code webhookId}; answers its id. */
    public Future<Long> enqueue(long webhookId, String kind, JsonObject payload, Instant now) {
        return pool.preparedQuery("""
                        INSERT INTO webhook_deliveries (webhook_id, event, payload, state, next_attempt_at, created_at)
                        VALUES ($1, $2, $3, 'pending', $4, $4) RETURNING id""")
                .execute(Tuple.of(webhookId, kind, payload, utc(now)))
                .map(rows -> rows.iterator().next().getLong("id"));
    }

    /**
     * Claims up to {@code limit} deliveries due at {@code now} (or only delivery {@code only}, when given, due or
     * not): their next attempt moves to {@code leaseUntil}, so no other node takes them while this one sends.
     */
    public Future<List<Due>> claim(Instant now, Instant leaseUntil, int limit, Long only) {
        return pool.preparedQuery("""
                        UPDATE webhook_deliveries d SET next_attempt_at = $2
                        FROM webhooks w
                        WHERE w.id = d.webhook_id AND d.id IN (
                            SELECT q.id FROM webhook_deliveries q JOIN webhooks qw ON qw.id = q.webhook_id
                            WHERE q.state = 'pending' AND qw.enabled
                              AND ($4::bigint IS NULL AND q.next_attempt_at <= $1 OR q.id = $4)
                            ORDER BY q.next_attempt_at LIMIT $3 FOR UPDATE OF q SKIP LOCKED)
                        RETURNING d.id, d.webhook_id, w.url, w.secret, d.event, d.payload, d.attempts""")
                .execute(Tuple.of(utc(now), utc(leaseUntil), limit, only))
                .map(rows -> {
                    List<Due> due = new ArrayList<>();
                    for (Row row : rows) {
                        due.add(new Due(row.getLong("id"), row.getLong("webhook_id"), row.getString("url"),
                                row.getBuffer("secret").getBytes(), row.getString("event"),
                                row.getJsonObject("payload"), row.getInteger("attempts")));
                    }
                    return due;
                });
    }

    /** Records an attempt: what the receiver answered, and the delivery's state after it. */
    public Future<Void> attempted(long id, String state, int attempts, Instant at, Instant next, Integer status,
                                  String response) {
        return pool.preparedQuery("""
                        UPDATE webhook_deliveries SET state = $2, attempts = $3, last_attempt_at = $4,
                               next_attempt_at = $5, last_status = $6, last_response = $7
                        WHERE id = $1""")
                .execute(Tuple.tuple().addLong(id).addString(state).addInteger(attempts).addValue(utc(at))
                        .addValue(next == null ? null : utc(next)).addInteger(status).addString(response))
                .mapEmpty();
    }

    /** The webhook's deliveries, newest first. */
    public Future<List<Delivery>> deliveries(long webhookId, int limit) {
        return pool.preparedQuery("SELECT " + DELIVERY + " FROM webhook_deliveries WHERE webhook_id = $1 "
                        + "ORDER BY id DESC LIMIT $2")
                .execute(Tuple.of(webhookId, limit))
                .map(rows -> {
                    List<Delivery> list = new ArrayList<>();
                    rows.forEach(row -> list.add(delivery(row)));
                    return list;
                });
    }

    public Future<Delivery> delivery(long id) {
        return pool.preparedQuery("SELECT " + DELIVERY + " FROM webhook_deliveries WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> delivery(rows.iterator().next()));
    }

    /** Deletes finished deliveries created before {@code before}; answers how many. */
    public Future<Integer> expire(Instant before) {
        return pool.preparedQuery("DELETE FROM webhook_deliveries WHERE state <> 'pending' AND created_at < $1")
                .execute(Tuple.of(utc(before)))
                .map(RowSet::rowCount);
    }

    /**
     * Re-encrypts with {@code cipher}'s current key the secrets older keys wrote, each only if it is still the value
     * read; answers how many. A secret no configured key opens stays as it is, reported in {@code unreadable}.
     */
    public Future<Integer> rewrap(CredentialCipher cipher, java.util.function.Consumer<Long> unreadable) {
        return pool.query("SELECT id, secret FROM webhooks").execute().compose(rows -> {
            List<Tuple> stale = new ArrayList<>();
            for (Row row : rows) {
                byte[] stored = row.getBuffer("secret").getBytes();
                if (cipher.isCurrent(stored)) {
                    continue;
                }
                try {
                    stale.add(Tuple.of(Buffer.buffer(cipher.seal(cipher.open(stored))), row.getLong("id"),
                            Buffer.buffer(stored)));
                } catch (IllegalStateException e) {
                    unreadable.accept(row.getLong("id"));
                }
            }
            if (stale.isEmpty()) {
                return Future.succeededFuture(0);
            }
            return pool.preparedQuery("UPDATE webhooks SET secret = $1 WHERE id = $2 AND secret = $3")
                    .executeBatch(stale).map(WebhookStore::rowCounts);
        });
    }

    private static Row one(RowSet<Row> rows, long id) {
        if (!rows.iterator().hasNext()) {
            throw VregException.notFound("webhook " + id + " does not exist");
        }
        return rows.iterator().next();
    }

    private static int rowCounts(RowSet<Row> rows) {
        int count = 0;
        for (RowSet<Row> r = rows; r != null; r = r.next()) {
            count += r.rowCount();
        }
        return count;
    }

    private static Webhook webhook(Row row) {
        return new Webhook(row.getLong("id"), row.getString("url"), Arrays.asList(row.getArrayOfStrings("events")),
                row.getString("description"), row.getBoolean("enabled"),
                row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("updated_at").toInstant());
    }

    private static Delivery delivery(Row row) {
        return new Delivery(row.getLong("id"), row.getLong("webhook_id"), row.getString("event"),
                row.getJsonObject("payload"), row.getString("state"), row.getInteger("attempts"),
                row.getOffsetDateTime("created_at").toInstant(), instant(row, "last_attempt_at"),
                instant(row, "next_attempt_at"), row.getInteger("last_status"), row.getString("last_response"));
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    private static String time(Instant value) {
        return value == null ? null : value.toString();
    }

    private static OffsetDateTime utc(Instant value) {
        return OffsetDateTime.ofInstant(value, ZoneOffset.UTC);
    }
}
