package dev.vreg.host.identity;

import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code users} table. The instance always keeps an admin, or nobody could manage users again (short of the
 * {@code vreg token} command), and a user who is the only owner of a group is not deleted. Changes that affect
 * what tokens may do tell every node at once ({@code NOTIFY vreg_auth}).
 */
public final class UserStore {

    public record User(long id, String username, String email, boolean admin, Instant createdAt) {
    }

    /** A group a user is a member of, with their role there. */
    public record Membership(String group, Role role) {
    }

    /** A user with the groups they are a member of, by group name. */
    public record Details(User user, List<Membership> groups) {
    }

    private static final String COLUMNS = "id, username, email, admin, created_at";
    /** Held while the set of admins changes, so two concurrent changes cannot both remove "the other" admin. */
    private static final String ADMINS_LOCK = "SELECT pg_advisory_xact_lock(hashtext('vreg.instance.admins'))";

    private final Pool pool;

    public UserStore(Pool pool) {
        this.pool = pool;
    }

    /** Creates user {@code username}; empty when the name is taken. */
    public Future<Optional<User>> create(String username, String email, boolean admin) {
        return pool.preparedQuery("""
                        INSERT INTO users (username, email, admin) VALUES ($1, $2, $3)
                        ON CONFLICT (username) DO NOTHING RETURNING\s""" + COLUMNS)
                .execute(Tuple.of(username, email, admin))
                .map(rows -> first(rows).map(UserStore::user));
    }

    /** Every user, by username. */
    public Future<List<User>> list() {
        return pool.query("SELECT " + COLUMNS + " FROM users ORDER BY username").execute()
                .map(rows -> {
                    List<User> users = new ArrayList<>();
                    rows.forEach(row -> users.add(user(row)));
                    return List.copyOf(users);
                });
    }

    public Future<Optional<User>> find(Long id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM users WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> first(rows).map(UserStore::user));
    }

    /** User {@code username} with their groups; empty when there is no such user. */
    public Future<Optional<Details>> details(String username) {
        return pool.preparedQuery("""
                        SELECT u.id, u.username, u.email, u.admin, u.created_at,
                               COALESCE((SELECT json_agg(json_build_object('name', g.name, 'role', m.role)
                                                         ORDER BY g.name)
                                           FROM memberships m JOIN groups g ON g.id = m.group_id
                                          WHERE m.user_id = u.id), '[]'::json) AS groups
                          FROM users u WHERE u.username = $1""")
                .execute(Tuple.of(username))
                .map(rows -> first(rows).map(row -> {
                    List<Membership> groups = new ArrayList<>();
                    if (row.getValue("groups") instanceof JsonArray list) {
                        for (int i = 0; i < list.size(); i++) {
                            JsonObject group = list.getJsonObject(i);
                            groups.add(new Membership(group.getString("name"),
                                    Role.parse(group.getString("role")).orElseThrow()));
                        }
                    }
                    return new Details(user(row), List.copyOf(groups));
                }));
    }

    /**
     * Changes user {@code username}; empty when there is no such user. Fails with a conflict when no admin would be
     * left.
     *
     * @param setEmail whether to set the email ({@code email}, which may be {@code null} to remove it)
     * @param admin    the new admin flag; {@code null} to leave it
     */
    public Future<Optional<User>> update(String username, boolean setEmail, String email, Boolean admin) {
        return pool.withTransaction(conn -> conn.query(ADMINS_LOCK).execute()
                .compose(v -> conn.preparedQuery("""
                                UPDATE users SET email = CASE WHEN $2 THEN $3 ELSE email END,
                                                 admin = COALESCE($4, admin)
                                 WHERE username = $1 RETURNING\s""" + COLUMNS)
                        .execute(Tuple.of(username, setEmail, email, admin)))
                .compose(rows -> {
                    Optional<User> user = first(rows).map(UserStore::user);
                    if (user.isEmpty()) {
                        return Future.succeededFuture(user);
                    }
                    return lastAdminGuard(conn).compose(v -> AuthChange.announce(conn)).map(user);
                }));
    }

    /**
     * Deletes user {@code username} with their memberships and personal tokens; false when there is no such user.
     * Fails with a conflict when they are the only owner of a group, or the last admin.
     */
    public Future<Boolean> delete(String username) {
        return pool.withTransaction(conn -> conn.query(ADMINS_LOCK).execute()
                .compose(v -> conn.preparedQuery("""
                                SELECT g.name FROM memberships m JOIN groups g ON g.id = m.group_id
                                  JOIN users u ON u.id = m.user_id
                                 WHERE u.username = $1 AND m.role = 'owner'
                                   AND NOT EXISTS (SELECT 1 FROM memberships o
                                                    WHERE o.group_id = m.group_id AND o.role = 'owner'
                                                      AND o.user_id <> m.user_id)
                                 ORDER BY g.name""").execute(Tuple.of(username)))
                .compose(soleOwner -> {
                    if (soleOwner.size() > 0) {
                        List<String> groups = new ArrayList<>();
                        soleOwner.forEach(row -> groups.add(row.getString("name")));
                        return Future.failedFuture(VregException.conflict(username + " is the only owner of "
                                + String.join(", ", groups) + "; make someone else an owner first"));
                    }
                    return conn.preparedQuery("DELETE FROM users WHERE username = $1").execute(Tuple.of(username));
                })
                .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(false)
                        : lastAdminGuard(conn).compose(v -> AuthChange.announce(conn)).map(true)));
    }

    /** Whether the instance has an admin, seen through {@code client}. */
    public Future<Boolean> adminExists(SqlClient client) {
        return client.query("SELECT 1 FROM users WHERE admin LIMIT 1").execute().map(rows -> rows.size() > 0);
    }

    /**
     * Makes user {@code username} an instance admin, creating the user when there is none of that name, through
     * {@code client}: the transaction that also gives them their first token.
     */
    public Future<Void> ensureAdmin(SqlClient client, String username) {
        return client.preparedQuery("""
                        INSERT INTO users (username, admin) VALUES ($1, TRUE)
                        ON CONFLICT (username) DO UPDATE SET admin = TRUE""")
                .execute(Tuple.of(username)).mapEmpty();
    }

    private Future<Void> lastAdminGuard(SqlConnection conn) {
        return adminExists(conn).compose(exists -> exists ? Future.<Void>succeededFuture()
                : Future.failedFuture(VregException.conflict("the instance must keep at least one admin")));
    }

    private static User user(Row row) {
        return new User(row.getLong("id"), row.getString("username"), row.getString("email"),
                row.getBoolean("admin"), instant(row, "created_at"));
    }

    private static Optional<Row> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next());
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime time = row.getOffsetDateTime(column);
        return time == null ? null : time.toInstant();
    }
}
