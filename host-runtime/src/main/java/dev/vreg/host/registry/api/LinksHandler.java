package dev.vreg.host.registry.api;

import dev.vreg.spi.VregException;
import dev.vreg.host.http.InvalidFields;
import dev.vreg.host.http.FieldError;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.AdminApi;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Fields;
import dev.vreg.host.api.GroupRef;
import dev.vreg.host.api.Reply;
import dev.vreg.host.api.Sql;
import dev.vreg.host.upstream.api.UpstreamsHandler;

import dev.vreg.host.identity.Role;
import dev.vreg.host.plugins.PluginHost;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * {@code /groups/{group}/registries/{registry}/upstreams}: which upstreams a registry asks, in which order.
 * Positions are always 1..n without gaps. Every change locks the registry row first, so concurrent changes to one
 * registry run one after another; shifting the others happens in the same transaction (the unique position
 * constraint is deferred to its end), together with the {@code upstreams_count} counter cache.
 */
public final class LinksHandler {

    private final Pool pool;
    private final Access access;
    private final Runnable configChanged;
    private final PluginHost plugins;
    private final AdminApi.Limits limits;

    public LinksHandler(Pool pool, Access access, PluginHost plugins, AdminApi.Limits limits,
                 Runnable configChanged) {
        this.configChanged = configChanged;
        this.pool = pool;
        this.access = access;
        this.plugins = plugins;
        this.limits = limits;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("listRegistryUpstreams", Endpoint.of(this::list));
        binder.bind("linkUpstream", Endpoint.changing(this::link, configChanged));
        binder.bind("moveUpstream", Endpoint.changing(this::move, configChanged));
        binder.bind("unlinkUpstream", Endpoint.changing(this::unlink, configChanged));
    }

    private record Locked(long id, String format, int count) {
    }

    private Future<Reply> list(RoutingContext ctx) {
        String registry = ctx.pathParam("registry");
        return access.group(ctx, Role.READER).compose(group -> pool.preparedQuery(
                        "SELECT id FROM registries WHERE group_id = $1 AND name = $2").execute(Tuple.of(group.id(), registry))
                .compose(rows -> Sql.first(rows) == null ? Future.failedFuture(missing(group, registry))
                        : links(pool, Sql.first(rows).getLong("id")))
                .map(links -> Reply.ok(body(registry, links))));
    }

    private Future<Reply> link(RoutingContext ctx) {
        Fields fields = Fields.of(ctx, "upstreamId", "position");
        Long upstreamId = fields.integer("upstreamId", 1, Long.MAX_VALUE, true);
        Long position = fields.integer("position", 1, Integer.MAX_VALUE, false);
        fields.check();
        String registry = ctx.pathParam("registry");
        return access.group(ctx, Role.MAINTAINER).compose(group -> pool.withTransaction(conn ->
                lock(conn, group, registry).compose(r -> conn.preparedQuery("""
                                SELECT u.kind, EXISTS (SELECT 1 FROM registry_upstreams
                                                        WHERE registry_id = $3 AND upstream_id = u.id) AS linked
                                  FROM upstreams u WHERE u.group_id = $1 AND u.id = $2""")
                        .execute(Tuple.of(group.id(), upstreamId, r.id()))
                        .compose(rows -> {
                            Row u = Sql.first(rows);
                            long at = position == null ? r.count() + 1 : position;
                            VregException refusal = refusal(u, r, group, upstreamId, at, registry);
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
                        .compose(v -> Sql.notifyConfig(conn))
                        .compose(v -> links(conn, r.id())))
                        .map(links -> Reply.created(body(registry, links)))));
    }

    private VregException refusal(Row upstream, Locked r, GroupRef group, long upstreamId, long at, String registry) {
        if (upstream == null) {
            return InvalidFields.body(java.util.List.of(new FieldError("upstreamId",
                    "no upstream " + upstreamId + " in group " + group.name())));
        }
        if (upstream.getBoolean("linked")) {
            return VregException.conflict("upstream " + upstreamId + " is already linked to " + registry);
        }
        boolean serves = plugins.upstreamKind(upstream.getString("kind"))
                .map(p -> p.formats().contains(r.format())).orElse(false);
        if (!serves) {
            return InvalidFields.body(java.util.List.of(new FieldError("upstreamId",
                    "upstream " + upstreamId + " of kind " + upstream.getString("kind") + " cannot serve "
                            + r.format())));
        }
        if (r.count() >= limits.upstreamsPerRegistry()) {
            return VregException.conflict("registry " + registry + " already has " + limits.upstreamsPerRegistry()
                    + " upstreams, the limit");
        }
        if (at > r.count() + 1) {
            return InvalidFields.body(java.util.List.of(new FieldError("position",
                    "must be from 1 to " + (r.count() + 1))));
        }
        return null;
    }

    private Future<Reply> move(RoutingContext ctx) {
        Fields fields = Fields.of(ctx, "position");
        Long position = fields.integer("position", 1, Integer.MAX_VALUE, true);
        fields.check();
        long upstreamId = UpstreamsHandler.upstreamId(ctx);
        String registry = ctx.pathParam("registry");
        return access.group(ctx, Role.MAINTAINER).compose(group -> pool.withTransaction(conn ->
                lock(conn, group, registry).compose(r -> current(conn, r, upstreamId, registry).compose(from -> {
                    if (position > r.count()) {
                        return Future.failedFuture(InvalidFields.body(java.util.List.of(
                                new FieldError("position", "must be from 1 to " + r.count()))));
                    }
                    // Moving up pushes the ones in between down by one, moving down pulls them up.
                    return conn.preparedQuery("""
                                    UPDATE registry_upstreams SET position = CASE
                                        WHEN upstream_id = $2 THEN $4::int
                                        WHEN $4::int < $3::int THEN position + 1
                                        ELSE position - 1 END
                                     WHERE registry_id = $1
                                       AND position BETWEEN LEAST($3::int, $4::int) AND GREATEST($3::int, $4::int)""")
                            .execute(Tuple.of(r.id(), upstreamId, from, position.intValue()))
                            .compose(v -> conn.preparedQuery("UPDATE registries SET updated_at = now() WHERE id = $1")
                                    .execute(Tuple.of(r.id())))
                            .compose(v -> Sql.notifyConfig(conn))
                            .compose(v -> links(conn, r.id()));
                })).map(links -> Reply.ok(body(registry, links)))));
    }

    private Future<Reply> unlink(RoutingContext ctx) {
        long upstreamId = UpstreamsHandler.upstreamId(ctx);
        String registry = ctx.pathParam("registry");
        return access.group(ctx, Role.MAINTAINER).compose(group -> pool.withTransaction(conn ->
                lock(conn, group, registry).compose(r -> current(conn, r, upstreamId, registry)
                        .compose(from -> conn.preparedQuery(
                                        "DELETE FROM registry_upstreams WHERE registry_id = $1 AND upstream_id = $2")
                                .execute(Tuple.of(r.id(), upstreamId))
                                .compose(v -> conn.preparedQuery("UPDATE registry_upstreams SET position = position - 1 "
                                                + "WHERE registry_id = $1 AND position > $2")
                                        .execute(Tuple.of(r.id(), from))))
                        .compose(v -> count(conn, r.id(), -1))
                        .compose(v -> Sql.notifyConfig(conn)))
                        .map(v -> Reply.noContent())));
    }

    /** Removes an upstream from every registry, closing the gaps it leaves; the caller deletes it afterwards. */
    public static Future<Void> unlinkEverywhere(SqlConnection conn, long upstreamId) {
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

    private Future<Locked> lock(SqlConnection conn, GroupRef group, String registry) {
        return conn.preparedQuery("SELECT id, format, upstreams_count FROM registries "
                        + "WHERE group_id = $1 AND name = $2 FOR UPDATE")
                .execute(Tuple.of(group.id(), registry))
                .compose(rows -> {
                    Row row = Sql.first(rows);
                    return row == null ? Future.failedFuture(missing(group, registry)) : Future.succeededFuture(
                            new Locked(row.getLong("id"), row.getString("format"), row.getInteger("upstreams_count")));
                });
    }

    private static Future<Integer> current(SqlConnection conn, Locked r, long upstreamId, String registry) {
        return conn.preparedQuery("SELECT position FROM registry_upstreams WHERE registry_id = $1 AND upstream_id = $2")
                .execute(Tuple.of(r.id(), upstreamId))
                .compose(rows -> Sql.first(rows) == null
                        ? Future.failedFuture(VregException.notFound("upstream " + upstreamId + " is not linked to "
                        + registry))
                        : Future.succeededFuture(Sql.first(rows).getInteger("position")));
    }

    private static Future<Void> count(SqlConnection conn, long registryId, int delta) {
        return conn.preparedQuery("UPDATE registries SET upstreams_count = upstreams_count + $2, updated_at = now() "
                        + "WHERE id = $1").execute(Tuple.of(registryId, delta)).mapEmpty();
    }

    private static VregException missing(GroupRef group, String registry) {
        return VregException.notFound("registry " + group.name() + "/" + registry + " does not exist");
    }

    /** Answers about links show the registry's whole order, which is what a change of one position affects. */
    private static JsonObject body(String registry, JsonArray links) {
        return new JsonObject().put("registry", registry).put("upstreams", links);
    }

    /** The links of a registry by position. */
    public static Future<JsonArray> links(SqlClient client, long registryId) {
        return client.preparedQuery("""
                        SELECT ru.position, u.id, u.name, u.kind, u.url FROM registry_upstreams ru
                          JOIN upstreams u ON u.id = ru.upstream_id WHERE ru.registry_id = $1 ORDER BY ru.position""")
                .execute(Tuple.of(registryId))
                .map(rows -> {
                    JsonArray list = new JsonArray();
                    for (Row row : rows) {
                        list.add(new JsonObject().put("position", row.getInteger("position"))
                                .put("upstreamId", row.getLong("id")).put("name", row.getString("name"))
                                .put("kind", row.getString("kind")).put("url", row.getString("url")));
                    }
                    return list;
                });
    }
}
