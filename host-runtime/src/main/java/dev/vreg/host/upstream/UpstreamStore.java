package dev.vreg.host.upstream;

import dev.vreg.host.db.Notify;
import dev.vreg.host.db.Rows;
import dev.vreg.host.http.FieldError;
import dev.vreg.host.http.InvalidFields;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The {@code upstreams} table: a group's shared upstreams. Nothing else writes it. Two upstreams with the same URL
 * and credentials in one group are refused (409 naming the existing one): they would split one source's cache in
 * two. Every configuration change tells all nodes ({@link Notify#config}) in its transaction.
 */
public final class UpstreamStore {

    /** Removes an upstream from every registry that links it, in the transaction that deletes it. */
    @FunctionalInterface
    public interface Unlink {
        Future<Void> everywhere(SqlConnection conn, long upstreamId);
    }

    /** What is wrong with the settings an upstream would have after a change; empty when nothing is. */
    @FunctionalInterface
    public interface SettingsRule {
        List<FieldError> problems(String kind, String url, JsonObject settings);
    }

    /** Re-encrypted credentials with their digest. */
    public record Rewritten(byte[] credentials, String digest) {
    }

    private static final String COLUMNS = """
            u.id, u.name, u.kind, u.url, u.settings, u.module_hints, u.metadata_validity_s, u.content_validity_s,
            u.transfer_deadline_s, u.min_transfer_rate, u.credentials IS NOT NULL AS credentials_set, u.status,
            u.created_at, u.updated_at, u.allow_private_network,
            COALESCE((SELECT json_agg(json_build_object('registry', r.name, 'position', ru.position) ORDER BY r.name)
                        FROM registry_upstreams ru JOIN registries r ON r.id = ru.registry_id
                       WHERE ru.upstream_id = u.id), '[]'::json) AS used_by""";

    private final Pool pool;
    private final Unlink unlink;

    /** @param unlink what deleting an upstream that registries still use (when forced) unlinks it with */
    public UpstreamStore(Pool pool, Unlink unlink) {
        this.pool = pool;
        this.unlink = unlink;
    }

    /** The group's upstreams by id. */
    public Future<List<UpstreamView>> list(long groupId) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM upstreams u WHERE u.group_id = $1 ORDER BY u.id")
                .execute(Tuple.of(groupId))
                .map(rows -> {
                    List<UpstreamView> list = new ArrayList<>();
                    rows.forEach(row -> list.add(view(row)));
                    return list;
                });
    }

    /** One upstream of the group; fails NOT_FOUND when the group has none with that id. */
    public Future<UpstreamView> get(long groupId, String group, long id) {
        return fetch(pool, groupId, group, id);
    }

    /** Creates an upstream; {@code upstream.name()} and {@code kind()} must be given. */
    public Future<UpstreamView> create(long groupId, String group, UpstreamChange upstream) {
        return pool.withTransaction(conn -> duplicateGuard(conn, groupId, upstream.url(),
                        upstream.credentialsDigest(), -1)
                .compose(v -> conn.preparedQuery("""
                                INSERT INTO upstreams (group_id, name, kind, url, settings, module_hints,
                                                       metadata_validity_s, content_validity_s, credentials,
                                                       credentials_digest, transfer_deadline_s, min_transfer_rate,
                                                       allow_private_network)
                                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id""")
                        .execute(Tuple.from(new Object[] {groupId, upstream.name(), upstream.kind(), upstream.url(),
                                upstream.settings() == null ? new JsonObject() : upstream.settings(),
                                (upstream.moduleHints() == null ? List.<String>of() : upstream.moduleHints())
                                        .toArray(String[]::new),
                                upstream.metadataValiditySeconds(), upstream.contentValiditySeconds(),
                                buffer(upstream.credentials()), upstream.credentialsDigest(),
                                upstream.transferDeadlineSeconds(), upstream.minTransferRate(),
                                Boolean.TRUE.equals(upstream.allowPrivateNetwork())})))
                .compose(rows -> fetch(conn, groupId, group, Rows.first(rows).getLong("id")))
                .compose(view -> Notify.config(conn).map(view)));
    }

    /**
     * Changes an upstream. {@code rule} checks the settings it would have, the stored ones where the change leaves
     * them; its problems fail the change (422). {@code updated_at} moves, so every node replaces its open client.
     * Only the instance admin with an admin-scoped token ({@code instanceAdmin}) may move an upstream allowed into
     * private networks to another URL (403 otherwise): the allowance was given for where it points.
     */
    public Future<UpstreamView> update(long groupId, String group, long id, UpstreamChange change,
                                       SettingsRule rule, boolean instanceAdmin) {
        return pool.withTransaction(conn -> fetch(conn, groupId, group, id)
                .compose(v -> conn.preparedQuery("""
                                SELECT kind, url, settings, credentials_digest, allow_private_network
                                  FROM upstreams WHERE id = $1 FOR UPDATE""")
                        .execute(Tuple.of(id)))
                .compose(rows -> {
                    Row now = Rows.first(rows);
                    if (!instanceAdmin && change.url() != null && !change.url().equals(now.getString("url"))
                            && now.getBoolean("allow_private_network")
                            && !Boolean.FALSE.equals(change.allowPrivateNetwork())) {
                        return Future.failedFuture(VregException.forbidden("upstream " + id + " may connect to "
                                + "private networks, as the instance admin allowed; only the instance admin, with "
                                + "an admin-scoped token, may change its url"));
                    }
                    String url = change.url() != null ? change.url() : now.getString("url");
                    List<FieldError> problems = rule.problems(now.getString("kind"), url,
                            change.settings() != null ? change.settings() : (JsonObject) now.getValue("settings"));
                    if (!problems.isEmpty()) {
                        return Future.failedFuture(InvalidFields.body(problems));
                    }
                    if (change.url() == null && !change.credentialsGiven()) {
                        return Future.<Void>succeededFuture();
                    }
                    return duplicateGuard(conn, groupId, url, change.credentialsGiven()
                            ? change.credentialsDigest() : now.getString("credentials_digest"), id);
                })
                .compose(v -> conn.preparedQuery("""
                                UPDATE upstreams SET name = COALESCE($2, name), url = COALESCE($3, url),
                                       settings = COALESCE($4, settings),
                                       module_hints = COALESCE($5, module_hints),
                                       metadata_validity_s = COALESCE($6, metadata_validity_s),
                                       content_validity_s = COALESCE($7, content_validity_s),
                                       credentials = CASE WHEN $8 THEN $9 ELSE credentials END,
                                       credentials_digest = CASE WHEN $8 THEN $10 ELSE credentials_digest END,
                                       transfer_deadline_s = COALESCE($11, transfer_deadline_s),
                                       min_transfer_rate = COALESCE($12, min_transfer_rate),
                                       allow_private_network = COALESCE($13, allow_private_network),
                                       updated_at = now()
                                 WHERE id = $1""")
                        .execute(Tuple.from(new Object[] {id, change.name(), change.url(), change.settings(),
                                change.moduleHints() == null ? null : change.moduleHints().toArray(String[]::new),
                                change.metadataValiditySeconds(), change.contentValiditySeconds(),
                                change.credentialsGiven(), buffer(change.credentials()),
                                change.credentialsDigest(), change.transferDeadlineSeconds(),
                                change.minTransferRate(), change.allowPrivateNetwork()})))
                .compose(v -> fetch(conn, groupId, group, id))
                .compose(view -> Notify.config(conn).map(view)));
    }

    /**
     * Deletes an upstream. One that registries still use is refused (409) unless {@code force}, which unlinks it from
     * them first.
     */
    public Future<Void> delete(long groupId, String group, long id, boolean force) {
        return pool.withTransaction(conn -> fetch(conn, groupId, group, id)
                .compose(view -> {
                    if (!view.usedBy().isEmpty() && !force) {
                        return Future.failedFuture(VregException.conflict("upstream " + id + " is used by "
                                + "registries " + view.usedBy().stream().map(UpstreamView.Use::registry).toList()
                                + "; unlink it first or delete with ?force=true"));
                    }
                    return unlink.everywhere(conn, id);
                })
                .compose(v -> conn.preparedQuery("DELETE FROM upstreams WHERE id = $1").execute(Tuple.of(id)))
                .compose(v -> Notify.config(conn)));
    }

    /** What opening a client for one of the group's upstreams needs; fails NOT_FOUND as {@link #get} does. */
    public Future<StoredUpstream> stored(long groupId, String group, long id) {
        return pool.preparedQuery("""
                        SELECT name, kind, url, settings, credentials, transfer_deadline_s, min_transfer_rate,
                               allow_private_network
                          FROM upstreams WHERE group_id = $1 AND id = $2""")
                .execute(Tuple.of(groupId, id))
                .map(rows -> {
                    Row row = Rows.first(rows);
                    if (row == null) {
                        throw missing(group, id);
                    }
                    Object settings = row.getValue("settings");
                    Buffer credentials = row.getBuffer("credentials");
                    return new StoredUpstream(id, row.getString("name"), row.getString("kind"),
                            row.getString("url"), credentials == null ? null : credentials.getBytes(),
                            settings instanceof JsonObject json ? json : new JsonObject(),
                            row.getLong("transfer_deadline_s"), row.getLong("min_transfer_rate"),
                            row.getBoolean("allow_private_network"));
                });
    }

    /**
     * Keeps the report of a connection test as the upstream's status. Not a configuration change: no client is
     * replaced and no node told.
     */
    public Future<Void> saveStatus(long id, JsonObject status) {
        return pool.preparedQuery("UPDATE upstreams SET status = $2 WHERE id = $1")
                .execute(Tuple.of(id, status)).mapEmpty();
    }

    /**
     * The group's upstream with {@code url} and no credentials, created with {@code name} and {@code kind} when there
     * is none; for the bootstrap, in its transaction. An existing one is left as it is.
     */
    public Future<Long> ensure(SqlConnection conn, long groupId, String name, String kind, String url) {
        return conn.preparedQuery("""
                        INSERT INTO upstreams (group_id, name, kind, url) VALUES ($1, $2, $3, $4)
                        ON CONFLICT (group_id, url, credentials_digest) DO UPDATE SET url = EXCLUDED.url
                        RETURNING id""")
                .execute(Tuple.of(groupId, name, kind, url))
                .map(rows -> Rows.first(rows).getLong("id"));
    }

    /** The upstreams whose stored credentials {@code which} picks. */
    public Future<List<Long>> withCredentials(Predicate<byte[]> which) {
        return pool.query("SELECT id, credentials FROM upstreams WHERE credentials IS NOT NULL").execute()
                .map(rows -> {
                    List<Long> ids = new ArrayList<>();
                    rows.forEach(row -> {
                        if (which.test(row.getBuffer("credentials").getBytes())) {
                            ids.add(row.getLong("id"));
                        }
                    });
                    return ids;
                });
    }

    /**
     * Rewrites one upstream's credentials and their digest in a transaction of its own, holding the row's lock:
     * {@code rewrite} gets the value stored now and answers its replacement, or empty to leave it. Answers whether
     * the credentials were rewritten; a failure of {@code rewrite} fails it and leaves them as they were.
     */
    public Future<Boolean> rewriteCredentials(long id, Function<byte[], Optional<Rewritten>> rewrite) {
        return pool.withTransaction(conn -> conn
                .preparedQuery("SELECT credentials FROM upstreams WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(id))
                .compose(rows -> {
                    Row row = Rows.first(rows);
                    Buffer stored = row == null ? null : row.getBuffer("credentials");
                    Optional<Rewritten> replacement = stored == null ? Optional.empty()
                            : rewrite.apply(stored.getBytes());
                    if (replacement.isEmpty()) {
                        return Future.succeededFuture(false);
                    }
                    return conn.preparedQuery(
                                    "UPDATE upstreams SET credentials = $2, credentials_digest = $3 WHERE id = $1")
                            .execute(Tuple.of(id, Buffer.buffer(replacement.get().credentials()),
                                    replacement.get().digest()))
                            .map(true);
                }));
    }

    private static Future<Void> duplicateGuard(SqlConnection conn, long groupId, String url, String digest,
                                               long exceptId) {
        return conn.preparedQuery("""
                        SELECT id, name FROM upstreams
                         WHERE group_id = $1 AND url = $2 AND credentials_digest = $3 AND id <> $4""")
                .execute(Tuple.of(groupId, url, digest, exceptId))
                .compose(rows -> {
                    Row row = Rows.first(rows);
                    return row == null ? Future.succeededFuture() : Future.failedFuture(VregException.conflict(
                            "upstream " + row.getLong("id") + " ('" + row.getString("name")
                                    + "') already has this URL and credentials"));
                });
    }

    private static Future<UpstreamView> fetch(SqlClient client, long groupId, String group, long id) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM upstreams u WHERE u.group_id = $1 AND u.id = $2")
                .execute(Tuple.of(groupId, id))
                .map(rows -> {
                    Row row = Rows.first(rows);
                    if (row == null) {
                        throw missing(group, id);
                    }
                    return view(row);
                });
    }

    private static VregException missing(String group, long id) {
        return VregException.notFound("upstream " + id + " does not exist in group " + group);
    }

    private static Buffer buffer(byte[] credentials) {
        return credentials == null ? null : Buffer.buffer(credentials);
    }

    private static UpstreamView view(Row row) {
        Object settings = row.getValue("settings");
        Object status = row.getValue("status");
        Object usedBy = row.getValue("used_by");
        String[] hints = row.getArrayOfStrings("module_hints");
        List<UpstreamView.Use> uses = new ArrayList<>();
        if (usedBy instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                JsonObject use = array.getJsonObject(i);
                uses.add(new UpstreamView.Use(use.getString("registry"), use.getInteger("position")));
            }
        }
        return new UpstreamView(row.getLong("id"), row.getString("name"), row.getString("kind"),
                row.getString("url"), settings instanceof JsonObject o ? o : new JsonObject(),
                hints == null ? List.of() : List.of(hints), row.getLong("metadata_validity_s"),
                row.getLong("content_validity_s"), row.getLong("transfer_deadline_s"), row.getLong("min_transfer_rate"),
                row.getBoolean("credentials_set"),
                status instanceof JsonObject o ? o : null, List.copyOf(uses), Rows.instant(row, "created_at"),
                Rows.instant(row, "updated_at"), row.getBoolean("allow_private_network"));
    }
}
