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
import dev.vreg.host.identity.Role;
import dev.vreg.host.identity.Scope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * {@code /groups}: any user may create a top-level group and becomes its owner; members see their groups; owners
 * delete them with everything in them.
 */
public final class GroupsHandler {

    private final Pool pool;
    private final Access access;
    private final Runnable changed;

    public GroupsHandler(Pool pool, Access access, Runnable changed) {
        this.pool = pool;
        this.access = access;
        this.changed = changed;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("createGroup", Endpoint.of(this::create));
        binder.bind("listGroups", Endpoint.of(this::list));
        binder.bind("getGroup", Endpoint.of(this::get));
        binder.bind("deleteGroup", Endpoint.of(this::delete));
    }

    private Future<Reply> create(RoutingContext ctx) {
        Principal caller = ApiAuthHandler.principal(ctx);
        Access.requireScope(caller, Scope.WRITE);
        Fields fields = Fields.of(ctx, "name");
        String name = fields.name("name", true);
        fields.check();
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        INSERT INTO groups (name) VALUES ($1) ON CONFLICT (name) DO NOTHING
                        RETURNING id, name, created_at""").execute(Tuple.of(name))
                .compose(rows -> {
                    Row row = Sql.first(rows);
                    if (row == null) {
                        return Future.failedFuture(VregException.conflict("group " + name + " already exists"));
                    }
                    return conn.preparedQuery("INSERT INTO memberships (group_id, user_id, role) VALUES ($1, $2, $3)")
                            .execute(Tuple.of(row.getLong("id"), caller.userId(), Role.OWNER.id()))
                            .compose(v -> Sql.notifyAuth(conn))
                            .map(v -> Reply.created(json(row, Role.OWNER)));
                }));
    }

    private Future<Reply> list(RoutingContext ctx) {
        Principal caller = ApiAuthHandler.principal(ctx);
        return pool.preparedQuery("""
                        SELECT g.id, g.name, g.created_at, m.role FROM groups g
                          LEFT JOIN memberships m ON m.group_id = g.id AND m.user_id = $1
                         WHERE m.role IS NOT NULL OR $2
                         ORDER BY g.name""")
                .execute(Tuple.of(caller.userId(), caller.admin()))
                .map(rows -> {
                    JsonArray list = new JsonArray();
                    for (Row row : rows) {
                        Role role = caller.admin() ? Role.OWNER : Role.parse(row.getString("role")).orElseThrow();
                        list.add(json(row, role));
                    }
                    return Reply.ok(list);
                });
    }

    private Future<Reply> get(RoutingContext ctx) {
        return access.group(ctx, Role.READER).compose(group -> pool.preparedQuery("""
                        SELECT g.name, g.created_at,
                               (SELECT count(*) FROM registries WHERE group_id = g.id) AS registries,
                               (SELECT count(*) FROM upstreams WHERE group_id = g.id) AS upstreams,
                               (SELECT count(*) FROM memberships WHERE group_id = g.id) AS members
                          FROM groups g WHERE g.id = $1""").execute(Tuple.of(group.id()))
                .map(rows -> {
                    Row row = Sql.first(rows);
                    return Reply.ok(json(row, group.role())
                            .put("registriesCount", row.getLong("registries"))
                            .put("upstreamsCount", row.getLong("upstreams"))
                            .put("membersCount", row.getLong("members")));
                }));
    }

    /**
     * Deletes the group, its registries, upstreams, cache entries, memberships and deploy tokens. Registries go
     * first because their links hold on to the upstreams.
     */
    private Future<Reply> delete(RoutingContext ctx) {
        return access.group(ctx, Role.OWNER).compose(group -> pool.withTransaction(conn -> conn
                        .preparedQuery("SELECT id FROM groups WHERE id = $1 FOR UPDATE").execute(Tuple.of(group.id()))
                        .compose(v -> conn.preparedQuery("DELETE FROM registries WHERE group_id = $1")
                                .execute(Tuple.of(group.id())))
                        .compose(v -> conn.preparedQuery("DELETE FROM groups WHERE id = $1").execute(Tuple.of(group.id())))
                        .compose(v -> Sql.notifyConfig(conn))
                        .compose(v -> Sql.notifyAuth(conn)))
                .onSuccess(v -> changed.run())
                .map(v -> Reply.noContent()));
    }

    private static JsonObject json(Row row, Role role) {
        return new JsonObject().put("name", row.getString("name")).put("role", role.id())
                .put("createdAt", Sql.time(row, "created_at"));
    }
}
