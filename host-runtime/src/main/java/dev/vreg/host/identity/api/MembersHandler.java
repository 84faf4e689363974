package dev.vreg.host.identity.api;

import dev.vreg.spi.VregException;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Fields;
import dev.vreg.host.api.Reply;
import dev.vreg.host.api.Sql;

import dev.vreg.host.identity.Role;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/** {@code /groups/{group}/members}: owners add, change and remove members; members see who else is one. */
public final class MembersHandler {

    private final Pool pool;
    private final Access access;
    private final Runnable authChanged;

    public MembersHandler(Pool pool, Access access, Runnable authChanged) {
        this.pool = pool;
        this.access = access;
        this.authChanged = authChanged;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("listMembers", Endpoint.of(this::list));
        binder.bind("putMember", Endpoint.of(this::put));
        binder.bind("deleteMember", Endpoint.of(this::delete));
    }

    private Future<Reply> list(RoutingContext ctx) {
        return access.group(ctx, Role.READER).compose(group -> pool.preparedQuery("""
                        SELECT u.username, m.role, m.created_at FROM memberships m JOIN users u ON u.id = m.user_id
                         WHERE m.group_id = $1 ORDER BY u.username""").execute(Tuple.of(group.id()))
                .map(rows -> {
                    JsonArray list = new JsonArray();
                    rows.forEach(row -> list.add(json(row)));
                    return Reply.ok(list);
                }));
    }

    private Future<Reply> put(RoutingContext ctx) {
        Fields fields = Fields.of(ctx, "role");
        String roleName = fields.string("role", true, 20);
        Role role = roleName == null ? null : Role.parse(roleName).orElse(null);
        if (roleName != null && role == null) {
            fields.error("role", "must be reader, maintainer or owner");
        }
        fields.check();
        String username = ctx.pathParam("username");
        return access.group(ctx, Role.OWNER).compose(group -> pool.withTransaction(conn -> conn.preparedQuery("""
                        INSERT INTO memberships (group_id, user_id, role)
                        SELECT $1, id, $3 FROM users WHERE username = $2
                        ON CONFLICT (group_id, user_id) DO UPDATE SET role = EXCLUDED.role
                        RETURNING role, created_at""").execute(Tuple.of(group.id(), username, role.id()))
                .compose(rows -> {
                    Row row = Sql.first(rows);
                    if (row == null) {
                        return Future.failedFuture(VregException.notFound("user " + username + " does not exist"));
                    }
                    return lastOwnerGuard(conn, group.id()).compose(v -> Sql.notifyAuth(conn))
                            .map(v -> Reply.ok(new JsonObject().put("username", username).put("role", role.id())
                                    .put("createdAt", Sql.time(row, "created_at"))));
                }))).onSuccess(r -> authChanged.run());
    }

    private Future<Reply> delete(RoutingContext ctx) {
        String username = ctx.pathParam("username");
        return access.group(ctx, Role.OWNER).compose(group -> pool.withTransaction(conn -> conn.preparedQuery("""
                        DELETE FROM memberships m USING users u
                         WHERE m.group_id = $1 AND m.user_id = u.id AND u.username = $2""")
                .execute(Tuple.of(group.id(), username))
                .compose(rows -> rows.rowCount() == 0
                        ? Future.failedFuture(VregException.notFound(username + " is not a member of " + group.name()))
                        : lastOwnerGuard(conn, group.id()))
                .compose(v -> Sql.notifyAuth(conn))
                .map(v -> Reply.noContent()))).onSuccess(r -> authChanged.run());
    }

    /** A group always keeps an owner, or nobody but the instance admin could manage it again. */
    private static Future<Void> lastOwnerGuard(io.vertx.sqlclient.SqlConnection conn, long groupId) {
        return conn.preparedQuery("SELECT 1 FROM memberships WHERE group_id = $1 AND role = 'owner'")
                .execute(Tuple.of(groupId))
                .compose(rows -> rows.size() > 0 ? Future.<Void>succeededFuture()
                        : Future.failedFuture(VregException.conflict("a group must keep at least one owner")));
    }

    private static JsonObject json(Row row) {
        return new JsonObject().put("username", row.getString("username")).put("role", row.getString("role"))
                .put("createdAt", Sql.time(row, "created_at"));
    }
}
