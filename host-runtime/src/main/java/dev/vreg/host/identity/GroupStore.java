package dev.vreg.host.identity;

import dev.vreg.spi.VregException;
import io.vertx.core.Future;
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
import java.util.function.Function;

/**
 * The {@code groups} and {@code memberships} tables: groups and who holds which role in them. A group always keeps
 * an owner, or nobody but the instance admin could manage it again. Changes to memberships tell every node at once
 * ({@code NOTIFY vreg_auth}), because tokens carry their user's roles.
 */
public final class GroupStore {

    public record Group(long id, String name, Instant createdAt) {
    }

    /** A group with the role a user holds there; no role when the user is not a member. */
    public record GroupRole(Group group, Optional<Role> role) {
    }

    /** A group with how much is in it. */
    public record Summary(Group group, long registries, long upstreams, long members) {
    }

    public record Member(String username, Role role, Instant createdAt) {
    }

    private final Pool pool;

    public GroupStore(Pool pool) {
        this.pool = pool;
    }

    /** Creates group {@code name} with {@code ownerId} as its first owner; empty when the name is taken. */
    public Future<Optional<Group>> create(String name, long ownerId) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        INSERT INTO groups (name) VALUES ($1) ON CONFLICT (name) DO NOTHING
                        RETURNING id, name, created_at""").execute(Tuple.of(name))
                .compose(rows -> {
                    Optional<Group> group = first(rows).map(GroupStore::group);
                    if (group.isEmpty()) {
                        return Future.succeededFuture(group);
                    }
                    return conn.preparedQuery("INSERT INTO memberships (group_id, user_id, role) VALUES ($1, $2, $3)")
                            .execute(Tuple.of(group.get().id(), ownerId, Role.OWNER.id()))
                            .compose(v -> AuthChange.announce(conn))
                            .map(group);
                }));
    }

    /**
     * The id of group {@code name}, made (without members) when it does not exist yet, through {@code client}: the
     * transaction that fills it.
     */
    public Future<Long> ensure(SqlClient client, String name) {
        return client.preparedQuery("""
                        INSERT INTO groups (name) VALUES ($1)
                        ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id""")
                .execute(Tuple.of(name))
                .map(rows -> rows.iterator().next().getLong("id"));
    }

    /** Group {@code name} and the role user {@code userId} holds there; empty when there is no such group. */
    public Future<Optional<GroupRole>> find(String name, Long userId) {
        return pool.preparedQuery("""
                        SELECT g.id, g.name, g.created_at, m.role FROM groups g
                          LEFT JOIN memberships m ON m.group_id = g.id AND m.user_id = $2
                         WHERE g.name = $1""")
                .execute(Tuple.of(name, userId))
                .map(rows -> first(rows).map(GroupStore::groupRole));
    }

    /** The groups user {@code userId} is a member of, or with {@code every} all groups; by name. */
    public Future<List<GroupRole>> list(Long userId, boolean every) {
        return pool.preparedQuery("""
                        SELECT g.id, g.name, g.created_at, m.role FROM groups g
                          LEFT JOIN memberships m ON m.group_id = g.id AND m.user_id = $1
                         WHERE m.role IS NOT NULL OR $2
                         ORDER BY g.name""")
                .execute(Tuple.of(userId, every))
                .map(rows -> {
                    List<GroupRole> groups = new ArrayList<>();
                    rows.forEach(row -> groups.add(groupRole(row)));
                    return List.copyOf(groups);
                });
    }

    /** Group {@code groupId} with the number of its registries, upstreams and members. */
    public Future<Summary> summary(long groupId) {
        return pool.preparedQuery("""
                        SELECT g.id, g.name, g.created_at,
                               (SELECT count(*) FROM registries WHERE group_id = g.id) AS registries,
                               (SELECT count(*) FROM upstreams WHERE group_id = g.id) AS upstreams,
                               (SELECT count(*) FROM memberships WHERE group_id = g.id) AS members
                          FROM groups g WHERE g.id = $1""").execute(Tuple.of(groupId))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Summary(group(row), row.getLong("registries"), row.getLong("upstreams"),
                            row.getLong("members"));
                });
    }

    /**
     * Deletes group {@code groupId} with its memberships and deploy tokens (and, by the schema's cascade, its
     * upstreams and cache entries) in one transaction, under a lock on the group. {@code contents} first deletes what
     * other parts own and the cascade must not reach first, on the same connection: the group's registries, whose
     * links hold on to its upstreams.
     */
    public Future<Void> delete(long groupId, Function<SqlConnection, Future<Void>> contents) {
        return pool.withTransaction(conn -> conn
                .preparedQuery("SELECT id FROM groups WHERE id = $1 FOR UPDATE").execute(Tuple.of(groupId))
                .compose(v -> contents.apply(conn))
                .compose(v -> conn.preparedQuery("DELETE FROM groups WHERE id = $1").execute(Tuple.of(groupId)))
                .compose(v -> AuthChange.announce(conn)));
    }

    /** The members of group {@code groupId}, by username. */
    public Future<List<Member>> members(long groupId) {
        return pool.preparedQuery("""
                        SELECT u.username, m.role, m.created_at FROM memberships m JOIN users u ON u.id = m.user_id
                         WHERE m.group_id = $1 ORDER BY u.username""").execute(Tuple.of(groupId))
                .map(rows -> {
                    List<Member> members = new ArrayList<>();
                    rows.forEach(row -> members.add(new Member(row.getString("username"),
                            Role.parse(row.getString("role")).orElseThrow(), instant(row, "created_at"))));
                    return List.copyOf(members);
                });
    }

    /**
     * Makes user {@code username} a member of group {@code groupId} with {@code role}, or changes their role; empty
     * when there is no such user. Fails with a conflict when that would leave the group without an owner.
     */
    public Future<Optional<Member>> putMember(long groupId, String username, Role role) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        WITH earlier AS (
                            SELECT m.role FROM memberships m JOIN users u ON u.id = m.user_id
                             WHERE m.group_id = $1 AND u.username = $2)
                        INSERT INTO memberships (group_id, user_id, role)
                        SELECT $1, id, $3 FROM users WHERE username = $2
                        ON CONFLICT (group_id, user_id) DO UPDATE SET role = EXCLUDED.role
                        RETURNING role, created_at, (SELECT role FROM earlier) AS earlier_role""")
                .execute(Tuple.of(groupId, username, role.id()))
                .compose(rows -> {
                    Optional<Row> row = first(rows);
                    if (row.isEmpty()) {
                        return Future.succeededFuture(Optional.empty());
                    }
                    Member member = new Member(username, role, instant(row.get(), "created_at"));
                    // Only taking the owner role from someone can leave a group without owners; a group that has none
                    // (made by the instance admin) still takes members.
                    boolean wasOwner = "owner".equals(row.get().getString("earlier_role"));
                    return (wasOwner ? lastOwnerGuard(conn, groupId) : Future.<Void>succeededFuture())
                            .compose(v -> AuthChange.announce(conn))
                            .map(v -> Optional.of(member));
                }));
    }

    /**
     * Ends user {@code username}'s membership of group {@code groupId}; false when they are not a member. Fails with
     * a conflict when that would leave the group without an owner.
     */
    public Future<Boolean> removeMember(long groupId, String username) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        DELETE FROM memberships m USING users u
                         WHERE m.group_id = $1 AND m.user_id = u.id AND u.username = $2
                        RETURNING m.role""")
                .execute(Tuple.of(groupId, username))
                .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(false)
                        : ("owner".equals(rows.iterator().next().getString("role")) ? lastOwnerGuard(conn, groupId)
                                : Future.<Void>succeededFuture()).compose(v -> AuthChange.announce(conn)).map(true)));
    }

    private static Future<Void> lastOwnerGuard(SqlConnection conn, long groupId) {
        return conn.preparedQuery("SELECT 1 FROM memberships WHERE group_id = $1 AND role = 'owner'")
                .execute(Tuple.of(groupId))
                .compose(rows -> rows.size() > 0 ? Future.<Void>succeededFuture()
                        : Future.failedFuture(VregException.conflict("a group must keep at least one owner")));
    }

    private static Group group(Row row) {
        return new Group(row.getLong("id"), row.getString("name"), instant(row, "created_at"));
    }

    private static GroupRole groupRole(Row row) {
        return new GroupRole(group(row), Role.parse(row.getString("role")));
    }

    private static Optional<Row> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next());
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime time = row.getOffsetDateTime(column);
        return time == null ? null : time.toInstant();
    }
}
