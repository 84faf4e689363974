package dev.vreg.host.registry.api;

import dev.vreg.spi.VregException;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.AdminApi;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Fields;
import dev.vreg.host.api.GroupRef;
import dev.vreg.host.api.Reply;
import dev.vreg.host.api.Sql;

import dev.vreg.host.identity.Role;
import dev.vreg.host.plugins.PluginHost;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.TreeSet;

/** {@code /groups/{group}/registries}: maintainers create, change and delete registries; readers see them. */
public final class RegistriesHandler {

    private static final String COLUMNS =
            "r.id, r.name, r.format, r.public, r.description, r.upstreams_count, r.created_at, r.updated_at";

    private final Pool pool;
    private final Access access;
    private final Runnable configChanged;
    private final PluginHost plugins;
    private final AdminApi.Limits limits;

    public RegistriesHandler(Pool pool, Access access, PluginHost plugins, AdminApi.Limits limits, Runnable configChanged) {
        this.configChanged = configChanged;
        this.pool = pool;
        this.access = access;
        this.plugins = plugins;
        this.limits = limits;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("createRegistry", Endpoint.changing(this::create, configChanged));
        binder.bind("listRegistries", Endpoint.of(this::list));
        binder.bind("getRegistry", Endpoint.of(this::get));
        binder.bind("updateRegistry", Endpoint.changing(this::update, configChanged));
        binder.bind("deleteRegistry", Endpoint.changing(this::delete, configChanged));
    }

    private Future<Reply> create(RoutingContext ctx) {
        Fields fields = Fields.of(ctx, "name", "format", "public", "description");
        String name = fields.name("name", true);
        String format = fields.string("format", true, 32);
        if (format != null && plugins.format(format).isEmpty()) {
            fields.error("format", "must be one of the loaded formats " + new TreeSet<>(plugins.formats().keySet()));
        }
        Boolean isPublic = fields.bool("public");
        String description = fields.string("description", false, 1000);
        fields.check();
        return access.group(ctx, Role.MAINTAINER).compose(group -> pool.withTransaction(conn -> conn
                // Locking the group serialises creations in it, so the limit cannot be overrun by a race.
                .preparedQuery("SELECT id FROM groups WHERE id = $1 FOR UPDATE").execute(Tuple.of(group.id()))
                .compose(v -> conn.preparedQuery("""
                                SELECT count(*) FILTER (WHERE format = $2), COALESCE(bool_or(name = $3), FALSE)
                                  FROM registries WHERE group_id = $1""")
                        .execute(Tuple.of(group.id(), format, name)))
                .compose(count -> {
                    if (Sql.first(count).getBoolean(1)) {
                        return Future.failedFuture(VregException.conflict(
                                "registry " + group.name() + "/" + name + " already exists"));
                    }
                    if (Sql.first(count).getLong(0) >= limits.registriesPerGroupAndFormat()) {
                        return Future.failedFuture(VregException.conflict("group " + group.name() + " already has "
                                + limits.registriesPerGroupAndFormat() + " " + format + " registries, the limit"));
                    }
                    return conn.preparedQuery("INSERT INTO registries AS r (group_id, name, format, public, description) "
                                    + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (group_id, name) DO NOTHING RETURNING "
                                    + COLUMNS)
                            .execute(Tuple.of(group.id(), name, format, isPublic != null && isPublic, description));
                })
                .compose(rows -> {
                    Row row = Sql.first(rows);
                    if (row == null) {
                        return Future.failedFuture(VregException.conflict(
                                "registry " + group.name() + "/" + name + " already exists"));
                    }
                    return Sql.notifyConfig(conn).map(v -> Reply.created(json(group.name(), row)));
                })));
    }

    private Future<Reply> list(RoutingContext ctx) {
        return access.group(ctx, Role.READER).compose(group -> pool.preparedQuery(
                        "SELECT " + COLUMNS + " FROM registries r WHERE r.group_id = $1 ORDER BY r.name")
                .execute(Tuple.of(group.id()))
                .map(rows -> {
                    JsonArray list = new JsonArray();
                    rows.forEach(row -> list.add(json(group.name(), row)));
                    return Reply.ok(list);
                }));
    }

    private Future<Reply> get(RoutingContext ctx) {
        String name = ctx.pathParam("registry");
        return access.group(ctx, Role.READER).compose(group -> find(group, name)
                .compose(row -> LinksHandler.links(pool, row.getLong("id"))
                        .map(links -> Reply.ok(json(group.name(), row).put("upstreams", links)))));
    }

    private Future<Reply> update(RoutingContext ctx) {
        Fields fields = Fields.of(ctx, "public", "description");
        Boolean isPublic = fields.bool("public");
        String description = fields.string("description", false, 1000);
        fields.check();
        String name = ctx.pathParam("registry");
        return access.group(ctx, Role.MAINTAINER).compose(group -> pool.withTransaction(conn -> conn.preparedQuery(
                        "UPDATE registries AS r SET public = COALESCE($3, public), "
                                + "description = CASE WHEN $4 THEN $5 ELSE description END, updated_at = now() "
                                + "WHERE group_id = $1 AND name = $2 RETURNING " + COLUMNS)
                .execute(Tuple.of(group.id(), name, isPublic, fields.has("description"), description))
                .compose(rows -> notFoundOr(group, name, rows)
                        .compose(row -> Sql.notifyConfig(conn).map(v -> Reply.ok(json(group.name(), row)))))));
    }

    private Future<Reply> delete(RoutingContext ctx) {
        String name = ctx.pathParam("registry");
        return access.group(ctx, Role.MAINTAINER).compose(group -> pool.withTransaction(conn -> conn.preparedQuery(
                        "DELETE FROM registries AS r WHERE group_id = $1 AND name = $2 RETURNING " + COLUMNS)
                .execute(Tuple.of(group.id(), name))
                .compose(rows -> notFoundOr(group, name, rows))
                .compose(row -> Sql.notifyConfig(conn))
                .map(v -> Reply.noContent())));
    }

    private Future<Row> find(GroupRef group, String name) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM registries r WHERE r.group_id = $1 AND r.name = $2")
                .execute(Tuple.of(group.id(), name)).compose(rows -> notFoundOr(group, name, rows));
    }

    private static Future<Row> notFoundOr(GroupRef group, String name, RowSet<Row> rows) {
        Row row = Sql.first(rows);
        return row != null ? Future.succeededFuture(row)
                : Future.failedFuture(VregException.notFound("registry " + group.name() + "/" + name + " does not exist"));
    }

    public static JsonObject json(String group, Row row) {
        return new JsonObject().put("name", row.getString("name")).put("format", row.getString("format"))
                .put("public", row.getBoolean("public")).put("description", row.getString("description"))
                .put("path", "/" + row.getString("format") + "/" + group + "/" + row.getString("name"))
                .put("upstreamsCount", row.getInteger("upstreams_count"))
                .put("createdAt", Sql.time(row, "created_at")).put("updatedAt", Sql.time(row, "updated_at"));
    }
}
