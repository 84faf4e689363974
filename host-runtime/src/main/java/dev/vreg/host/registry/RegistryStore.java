package dev.vreg.host.registry;

import dev.vreg.host.db.Notify;
import dev.vreg.host.db.Rows;
import dev.vreg.host.http.InvalidFields;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * The {@code registries} and {@code registry_upstreams} tables: a group's registries and which upstreams each asks,
 * in which order. Nothing else writes them. Positions are always 1..n without gaps. Every change to a registry's
 * links locks the registry row first, so concurrent changes to one registry run one after another; shifting the
 * others happens in the same transaction (the unique position constraint is deferred to its end), together with the
 * {@code upstreams_count} counter cache. Every change tells all nodes ({@link Notify#config}) in its transaction.
 */
public final class RegistryStore {

    private static final String COLUMNS =
            "r.id, r.name, r.format, r.public, r.description, r.upstreams_count, r.created_at, r.updated_at";

    private record Locked(long id, String format, int count) {
    }

    private final Pool pool;

    public RegistryStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * Creates a registry; refused (409) when the group has one of that name, or already {@code limit} of that
     * format. Creations in one group are serialised, so the limit cannot be overrun by a race.
     */
    public Future<RegistryView> create(long groupId, String group, String name, String format, boolean isPublic,
                                       String description, int limit) {
        return pool.withTransaction(conn -> conn
                .preparedQuery("SELECT id FROM groups WHERE id = $1 FOR UPDATE").execute(Tuple.of(groupId))
                .compose(v -> conn.preparedQuery("""
                                SELECT count(*) FILTER (WHERE format = $2), COALESCE(bool_or(name = $3), FALSE)
                                  FROM registries WHERE group_id = $1""")
                        .execute(Tuple.of(groupId, format, name)))
                .compose(count -> {
                    if (Rows.first(count).getBoolean(1)) {
                        return Future.failedFuture(exists(group, name));
                    }
                    if (Rows.first(count).getLong(0) >= limit) {
                        return Future.failedFuture(VregException.conflict("group " + group + " already has "
                                + limit + " " + format + " registries, the limit"));
                    }
                    return conn.preparedQuery("INSERT INTO registries AS r (group_id, name, format, public, "
                                    + "description) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (group_id, name) "
                                    + "DO NOTHING RETURNING " + COLUMNS)
                            .execute(Tuple.of(groupId, name, format, isPublic, description));
                })
                .compose(rows -> {
                    Row row = Rows.first(rows);
                    if (row == null) {
                        return Future.failedFuture(exists(group, name));
                    }
                    return Notify.config(conn).map(v -> view(row));
                }));
    }

    /** The group's registries by name. */
    public Future<List<RegistryView>> list(long groupId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM registries r WHERE r.group_id = $1 ORDER BY r.name")
                .execute(Tuple.of(groupId))
                .map(rows -> {
                    List<RegistryView> list = new ArrayList<>();
                    rows.forEach(row -> list.add(view(row)));
                    return list;
                });
    }

    /** One registry of the group; fails NOT_FOUND when there is none of that name. */
    public Future<RegistryView> get(long groupId, String group, String name) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM registries r WHERE r.group_id = $1 AND r.name = $2")
                .execute(Tuple.of(groupId, name)).compose(rows -> found(group, name, rows)).map(RegistryStore::view);
    }

    /** Changes whether a registry is public ({@code null}: as it is) and, when given, its description. */
    public Future<RegistryView> update(long groupId, String group, String name, Boolean isPublic,
                                       boolean descriptionGiven, String description) {
        return pool.withTransaction(conn -> conn.preparedQuery(
                        "UPDATE registries AS r SET public = COALESCE($3, public), "
                                + "description = CASE WHEN $4 THEN $5 ELSE description END, updated_at = now() "
                                + "WHERE group_id = $1 AND name = $2 RETURNING " + COLUMNS)
                .execute(Tuple.of(groupId, name, isPublic, descriptionGiven, description))
                .compose(rows -> found(group, name, rows))
                .compose(row -> Notify.config(conn).map(v -> view(row))));
    }

    /** Deletes a registry with its links; the upstreams stay. */
    public Future<Void> delete(long groupId, String group, String name) {
        return pool.withTransaction(conn -> conn.preparedQuery(
                        "DELETE FROM registries AS r WHERE group_id = $1 AND name = $2 RETURNING " + COLUMNS)
                .execute(Tuple.of(groupId, name))
                .compose(rows -> found(group, name, rows))
                .compose(row -> Notify.config(conn)));
    }

    /** The links of a registry by position. */
    public Future<List<UpstreamLink>> links(long registryId) {
        return links(pool, registryId);
    }

    /** The links of the group's registry {@code registry} by position; fails NOT_FOUND when there is none. */
    public Future<List<UpstreamLink>> links(long groupId, String group, String registry) {
        return pool.preparedQuery("SELECT id FROM registries WHERE group_id = $1 AND name = $2")
                .execute(Tuple.of(groupId, registry))
                .compose(rows -> Rows.first(rows) == null ? Future.failedFuture(missing(group, registry))
                        : links(pool, Rows.first(rows).getLong("id")));
    }

    /** The ids of the upstreams the group's registry {@code registry} links; fails NOT_FOUND when there is none. */
    public Future<List<Long>> upstreamIds(long groupId, String group, String registry) {
        return pool.preparedQuery("""
                        SELECT ARRAY(SELECT ru.upstream_id FROM registry_upstreams ru WHERE ru.registry_id = r.id)
                               AS upstreams
                          FROM registries r WHERE r.group_id = $1 AND r.name = $2""")
                .execute(Tuple.of(groupId, registry))
                .compose(rows -> {
                    Row row = Rows.first(rows);
                    if (row == null) {
                        return Future.failedFuture(missing(group, registry));
                    }
                    return Future.succeededFuture(List.of(row.getArrayOfLongs("upstreams")));
                });
    }

    /**
     * Links one of the group's upstreams to a registry at {@code position} ({@code null}: last), shifting those at
     * and after it down; answers the registry's links. Refused when the group has no such upstream (422), it is
     * linked already (409), {@code serves} says its kind cannot serve the registry's format (422), the registry has
     * {@code limit} upstreams already (409) or the position leaves a gap (422).
     *
     * @param serves whether upstreams of a kind (first) can serve a format (second)
     */
    public Future<List<UpstreamLink>> link(long groupId, String group, String registry, long upstreamId,
                                           Long position, int limit, BiPredicate<String, String> serves) {
        return pool.withTransaction(conn -> lock(conn, groupId, group, registry).compose(r -> conn.preparedQuery("""
                                SELECT u.kind, EXISTS (SELECT 1 FROM registry_upstreams
                                                        WHERE registry_id = $3 AND upstream_id = u.id) AS linked
                                  FROM upstreams u WHERE u.group_id = $1 AND u.id = $2""")
                        .execute(Tuple.of(groupId, upstreamId, r.id()))
                        .compose(rows -> {
                            Row u = Rows.first(rows);
                            long at = position == null ? r.count() + 1 : position;
                            VregException refusal = refusal(u, r, group, upstreamId, at, registry, limit, serves);
                            if (refusal != null) {
                                return Future.failedFuture(refusal);
                            }
                            return conn.preparedQuery("UPDATE registry_upstreams SET position = position + 1 "
                                            + "WHERE registry_id = $1 AND position >= $2")
                                    .execute(Tuple.of(r.id(), at))
                                    .compose(v -> conn.preparedQuery("INSERT INTO registry_upstreams "
                                                    + "(registry_id, upstream_id, position) VALUES ($1, $2, $3)")
                                            .execute(Tuple.of(r.id(), upstreamId, at)))
                                    .compose(v -> count(conn, r.id(), 1));
                        })
                        .compose(v -> Notify.config(conn))
                        .compose(v -> links(conn, r.id()))));
    }

    private static VregException refusal(Row upstream, Locked r, String group, long upstreamId, long at,
                                         String registry, int limit, BiPredicate<String, String> serves) {
        if (upstream == null) {
            return InvalidFields.body("upstreamId", "no upstream " + upstreamId + " in group " + group);
        }
        if (upstream.getBoolean("linked")) {
            return VregException.conflict("upstream " + upstreamId + " is already linked to " + registry);
        }
        if (!serves.test(upstream.getString("kind"), r.format())) {
            return InvalidFields.body("upstreamId", "upstream " + upstreamId + " of kind "
                    + upstream.getString("kind") + " cannot serve " + r.format());
        }
        if (r.count() >= limit) {
            return VregException.conflict("registry " + registry + " already has " + limit + " upstreams, the limit");
        }
        if (at > r.count() + 1) {
            return InvalidFields.body("position", "must be from 1 to " + (r.count() + 1));
        }
        return null;
    }

    /**
     * Moves a linked upstream to {@code position}: moving up pushes the ones in between down by one, moving down
     * pulls them up. Answers the registry's links.
     */
    public Future<List<UpstreamLink>> move(long groupId, String group, String registry, long upstreamId,
                                           long position) {
        return pool.withTransaction(conn -> lock(conn, groupId, group, registry)
                .compose(r -> current(conn, r, upstreamId, registry).compose(from -> {
                    if (position > r.count()) {
                        return Future.failedFuture(InvalidFields.body("position", "must be from 1 to " + r.count()));
                    }
                    return conn.preparedQuery("""
                                    UPDATE registry_upstreams SET position = CASE
                                        WHEN upstream_id = $2 THEN $4::int
                                        WHEN $4::int < $3::int THEN position + 1
                                        ELSE position - 1 END
                                     WHERE registry_id = $1
                                       AND position BETWEEN LEAST($3::int, $4::int) AND GREATEST($3::int, $4::int)""")
                            .execute(Tuple.of(r.id(), upstreamId, from, (int) position))
                            .compose(v -> conn.preparedQuery("UPDATE registries SET updated_at = now() WHERE id = $1")
                                    .execute(Tuple.of(r.id())))
                            .compose(v -> Notify.config(conn))
                            .compose(v -> links(conn, r.id()));
                })));
    }

    /** Unlinks an upstream from a registry, closing the gap it leaves. */
    public Future<Void> unlink(long groupId, String group, String registry, long upstreamId) {
        return pool.withTransaction(conn -> lock(conn, groupId, group, registry)
                .compose(r -> current(conn, r, upstreamId, registry)
                        .compose(from -> conn.preparedQuery(
                                        "DELETE FROM registry_upstreams WHERE registry_id = $1 AND upstream_id = $2")
                                .execute(Tuple.of(r.id(), upstreamId))
                                .compose(v -> conn.preparedQuery("UPDATE registry_upstreams "
                                                + "SET position = position - 1 WHERE registry_id = $1 AND position > $2")
                                        .execute(Tuple.of(r.id(), from))))
                        .compose(v -> count(conn, r.id(), -1))
                        .compose(v -> Notify.config(conn))));
    }

    /**
     * Removes an upstream from every registry, closing the gaps it leaves, in the caller's transaction; the caller
     * deletes the upstream afterwards (and tells the nodes).
     */
    public Future<Void> unlinkEverywhere(SqlConnection conn, long upstreamId) {
        return conn.preparedQuery("""
                        SELECT id FROM registries WHERE id IN (SELECT registry_id FROM registry_upstreams
                                                                WHERE upstream_id = $1) ORDER BY id FOR UPDATE""")
                .execute(Tuple.of(upstreamId))
                .compose(v -> conn.preparedQuery("""
                                WITH gone AS (DELETE FROM registry_upstreams WHERE upstream_id = $1
                                              RETURNING registry_id, position),
                                     shifted AS (UPDATE registry_upstreams ru SET position = ru.position - 1 FROM gone
                                                  WHERE ru.registry_id = gone.registry_id
                                                    AND ru.position > gone.position RETURNING 1)
                                UPDATE registries r SET upstreams_count = r.upstreams_count - 1, updated_at = now()
                                  FROM gone WHERE r.id = gone.registry_id""")
                        .execute(Tuple.of(upstreamId)))
                .mapEmpty();
    }

    /** Creates a registry unless the group has one of that name; for the bootstrap, in its transaction. */
    /** Deletes every registry of a group being deleted, inside its deleting transaction; every node reloads. */
    public Future<Void> deleteAllOf(SqlConnection conn, long groupId) {
        return conn.preparedQuery("DELETE FROM registries WHERE group_id = $1").execute(Tuple.of(groupId))
                .compose(v -> Notify.config(conn));
    }

    public Future<Void> createIfAbsent(SqlConnection conn, long groupId, String name, String format,
                                       boolean isPublic, String description) {
        return conn.preparedQuery("""
                        INSERT INTO registries (group_id, name, format, public, description)
                        VALUES ($1, $2, $3, $4, $5) ON CONFLICT (group_id, name) DO NOTHING""")
                .execute(Tuple.of(groupId, name, format, isPublic, description))
                .mapEmpty();
    }

    /**
     * Makes {@code upstreamIds}, in this order, all the upstreams a registry links, in the caller's transaction; for
     * the bootstrap, which tells the nodes. Answers the links there were before, so the caller can say what changed.
     */
    public Future<List<UpstreamLink.Previous>> reconcile(SqlConnection conn, long registryId,
                                                          List<Long> upstreamIds) {
        List<UpstreamLink.Previous> previous = new ArrayList<>();
        Future<Void> chain = conn.preparedQuery("""
                        SELECT ru.upstream_id, ru.position, u.url,
                               (SELECT count(*) FROM cache_entries c
                                 WHERE c.upstream_id = ru.upstream_id AND c.kind = 'CONTENT') AS cached
                          FROM registry_upstreams ru JOIN upstreams u ON u.id = ru.upstream_id
                         WHERE ru.registry_id = $1 ORDER BY ru.position""")
                .execute(Tuple.of(registryId))
                .compose(rows -> {
                    rows.forEach(row -> previous.add(new UpstreamLink.Previous(row.getLong("upstream_id"),
                            row.getInteger("position"), row.getString("url"), row.getLong("cached"))));
                    return conn.preparedQuery("DELETE FROM registry_upstreams WHERE registry_id = $1")
                            .execute(Tuple.of(registryId)).<Void>mapEmpty();
                });
        for (int i = 0; i < upstreamIds.size(); i++) {
            long upstreamId = upstreamIds.get(i);
            int position = i + 1;
            chain = chain.compose(v -> conn.preparedQuery(
                            "INSERT INTO registry_upstreams (registry_id, upstream_id, position) VALUES ($1, $2, $3)")
                    .execute(Tuple.of(registryId, upstreamId, position)).mapEmpty());
        }
        return chain.compose(v -> conn.preparedQuery("""
                        UPDATE registries SET upstreams_count = (
                            SELECT count(*) FROM registry_upstreams WHERE registry_id = $1), updated_at = now()
                         WHERE id = $1""")
                .execute(Tuple.of(registryId)).map(updated -> previous));
    }

    private static Future<Locked> lock(SqlConnection conn, long groupId, String group, String registry) {
        return conn.preparedQuery("SELECT id, format, upstreams_count FROM registries "
                        + "WHERE group_id = $1 AND name = $2 FOR UPDATE")
                .execute(Tuple.of(groupId, registry))
                .compose(rows -> {
                    Row row = Rows.first(rows);
                    return row == null ? Future.failedFuture(missing(group, registry)) : Future.succeededFuture(
                            new Locked(row.getLong("id"), row.getString("format"), row.getInteger("upstreams_count")));
                });
    }

    private static Future<Integer> current(SqlConnection conn, Locked r, long upstreamId, String registry) {
        return conn.preparedQuery("SELECT position FROM registry_upstreams WHERE registry_id = $1 AND upstream_id = $2")
                .execute(Tuple.of(r.id(), upstreamId))
                .compose(rows -> Rows.first(rows) == null
                        ? Future.failedFuture(VregException.notFound("upstream " + upstreamId + " is not linked to "
                        + registry))
                        : Future.succeededFuture(Rows.first(rows).getInteger("position")));
    }

    private static Future<Void> count(SqlConnection conn, long registryId, int delta) {
        return conn.preparedQuery("UPDATE registries SET upstreams_count = upstreams_count + $2, updated_at = now() "
                        + "WHERE id = $1").execute(Tuple.of(registryId, delta)).mapEmpty();
    }

    private static Future<List<UpstreamLink>> links(SqlClient client, long registryId) {
        return client.preparedQuery("""
                        SELECT ru.position, u.id, u.name, u.kind, u.url FROM registry_upstreams ru
                          JOIN upstreams u ON u.id = ru.upstream_id WHERE ru.registry_id = $1 ORDER BY ru.position""")
                .execute(Tuple.of(registryId))
                .map(rows -> {
                    List<UpstreamLink> list = new ArrayList<>();
                    for (Row row : rows) {
                        list.add(new UpstreamLink(row.getInteger("position"), row.getLong("id"),
                                row.getString("name"), row.getString("kind"), row.getString("url")));
                    }
                    return list;
                });
    }

    private static Future<Row> found(String group, String name, RowSet<Row> rows) {
        Row row = Rows.first(rows);
        return row != null ? Future.succeededFuture(row) : Future.failedFuture(missing(group, name));
    }

    private static VregException missing(String group, String registry) {
        return VregException.notFound("registry " + group + "/" + registry + " does not exist");
    }

    private static VregException exists(String group, String name) {
        return VregException.conflict("registry " + group + "/" + name + " already exists");
    }

    private static RegistryView view(Row row) {
        return new RegistryView(row.getLong("id"), row.getString("name"), row.getString("format"),
                row.getBoolean("public"), row.getString("description"), row.getInteger("upstreams_count"),
                Rows.instant(row, "created_at"), Rows.instant(row, "updated_at"));
    }
}
