package dev.vreg.host.identity.api;

import dev.vreg.spi.VregException;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiAuthHandler;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Fields;
import dev.vreg.host.api.Reply;
import dev.vreg.host.api.Sql;

import dev.vreg.host.identity.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /users} (the instance admin's; a user may read their own) and {@code /user} (whoever is calling). The
 * instance always keeps an admin, and a group its owner.
 */
public final class UsersHandler {

    private final Pool pool;
    private final Runnable authChanged;

    public UsersHandler(Pool pool, Runnable authChanged) {
        this.pool = pool;
        this.authChanged = authChanged;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("createUser", Endpoint.of(this::create));
        binder.bind("listUsers", Endpoint.of(this::list));
        binder.bind("getCurrentUser", Endpoint.of(this::me));
        binder.bind("getUser", Endpoint.of(this::get));
        binder.bind("updateUser", Endpoint.changing(this::update, authChanged));
        binder.bind("deleteUser", Endpoint.changing(this::delete, authChanged));
    }

    private Future<Reply> get(RoutingContext ctx) {
        Principal caller = ApiAuthHandler.principal(ctx);
        String username = ctx.pathParam("username");
        if (!caller.admin() && !username.equals(caller.username())) {
            return Future.failedFuture(VregException.notFound("user " + username + " does not exist"));
        }
        return pool.preparedQuery("""
                        SELECT u.username, u.email, u.admin, u.created_at,
                               COALESCE((SELECT json_agg(json_build_object('name', g.name, 'role', m.role)
                                                         ORDER BY g.name)
                                           FROM memberships m JOIN groups g ON g.id = m.group_id
                                          WHERE m.user_id = u.id), '[]'::json) AS groups
                          FROM users u WHERE u.username = $1""")
                .execute(Tuple.of(username))
                .map(rows -> {
                    Row row = Sql.first(rows);
                    if (row == null) {
                        throw VregException.notFound("user " + username + " does not exist");
                    }
                    Object groups = row.getValue("groups");
                    return Reply.ok(json(row).put("groups", groups instanceof JsonArray list ? list
                            : new JsonArray()));
                });
    }

    private Future<Reply> update(RoutingContext ctx) {
        Access.requireAdmin(ApiAuthHandler.principal(ctx));
        String username = ctx.pathParam("username");
        Fields fields = Fields.of(ctx, "email", "admin");
        boolean emailGiven = fields.has("email");
        String email = fields.string("email", false, 254);
        Boolean admin = fields.bool("admin");
        fields.check();
        return pool.withTransaction(conn -> conn
                .query("SELECT pg_advisory_xact_lock(hashtext('vreg.instance.admins'))").execute()
                .compose(v -> conn.preparedQuery("""
                                UPDATE users SET email = CASE WHEN $2 THEN $3 ELSE email END,
                                                 admin = COALESCE($4, admin)
                                 WHERE username = $1 RETURNING username, email, admin, created_at""")
                        .execute(Tuple.of(username, emailGiven, email, admin)))
                .compose(rows -> {
                    Row row = Sql.first(rows);
                    if (row == null) {
                        return Future.failedFuture(VregException.notFound("user " + username + " does not exist"));
                    }
                    return lastAdminGuard(conn).compose(v -> Sql.notifyAuth(conn)).map(v -> Reply.ok(json(row)));
                }));
    }

    private Future<Reply> delete(RoutingContext ctx) {
        Access.requireAdmin(ApiAuthHandler.principal(ctx));
        String username = ctx.pathParam("username");
        return pool.withTransaction(conn -> conn
                .query("SELECT pg_advisory_xact_lock(hashtext('vreg.instance.admins'))").execute()
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
                .compose(rows -> rows.rowCount() == 0
                        ? Future.failedFuture(VregException.notFound("user " + username + " does not exist"))
                        : lastAdminGuard(conn))
                .compose(v -> Sql.notifyAuth(conn))
                .map(v -> Reply.noContent()));
    }

    /** The instance keeps an admin, or nobody could manage users again (short of the {@code vreg token} command). */
    private static Future<Void> lastAdminGuard(SqlConnection conn) {
        return conn.query("SELECT 1 FROM users WHERE admin LIMIT 1").execute()
                .compose(rows -> rows.size() > 0 ? Future.<Void>succeededFuture()
                        : Future.failedFuture(VregException.conflict("the instance must keep at least one admin")));
    }

    private Future<Reply> create(RoutingContext ctx) {
        Access.requireAdmin(ApiAuthHandler.principal(ctx));
        Fields fields = Fields.of(ctx, "username", "email", "admin");
        String username = fields.name("username", true);
        String email = fields.string("email", false, 254);
        Boolean admin = fields.bool("admin");
        fields.check();
        return pool.preparedQuery("""
                        INSERT INTO users (username, email, admin) VALUES ($1, $2, $3)
                        ON CONFLICT (username) DO NOTHING RETURNING username, email, admin, created_at""")
                .execute(Tuple.of(username, email, admin != null && admin))
                .map(rows -> {
                    Row row = Sql.first(rows);
                    if (row == null) {
                        throw VregException.conflict("user " + username + " already exists");
                    }
                    return Reply.created(json(row));
                });
    }

    private Future<Reply> list(RoutingContext ctx) {
        Access.requireAdmin(ApiAuthHandler.principal(ctx));
        return pool.query("SELECT username, email, admin, created_at FROM users ORDER BY username").execute()
                .map(rows -> {
                    JsonArray list = new JsonArray();
                    rows.forEach(row -> list.add(json(row)));
                    return Reply.ok(list);
                });
    }

    private Future<Reply> me(RoutingContext ctx) {
        Principal caller = ApiAuthHandler.principal(ctx);
        return pool.preparedQuery("SELECT username, email, admin, created_at FROM users WHERE id = $1")
                .execute(Tuple.of(caller.userId()))
                .map(rows -> Reply.ok(json(Sql.first(rows))));
    }

    public static JsonObject json(Row row) {
        return new JsonObject().put("username", row.getString("username")).put("email", row.getString("email"))
                .put("admin", row.getBoolean("admin")).put("createdAt", Sql.time(row, "created_at"));
    }
}
