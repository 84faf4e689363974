package dev.vreg.host.cache.api;

import dev.vreg.spi.VregException;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Reply;
import dev.vreg.host.api.Sql;

import dev.vreg.host.identity.Role;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * {@code DELETE /groups/{group}/registries/{registry}/cache}: empties the caches of every upstream the registry
 * uses, so its next requests fetch again. Upstreams are shared, so other registries using them lose those entries
 * too, exactly as when each upstream's cache is removed on its own.
 */
public final class RegistryCacheHandler {

    private final Pool pool;
    private final Access access;
    private final Runnable cacheChanged;

    public RegistryCacheHandler(Pool pool, Access access, Runnable cacheChanged) {
        this.pool = pool;
        this.access = access;
        this.cacheChanged = cacheChanged;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("purgeRegistryCache", Endpoint.changing(this::purge, cacheChanged));
    }

    private Future<Reply> purge(RoutingContext ctx) {
        String name = ctx.pathParam("registry");
        return access.group(ctx, Role.MAINTAINER).compose(group -> pool.withConnection(conn -> conn.preparedQuery("""
                        SELECT ARRAY(SELECT ru.upstream_id FROM registry_upstreams ru WHERE ru.registry_id = r.id)
                               AS upstreams
                          FROM registries r WHERE r.group_id = $1 AND r.name = $2""")
                .execute(Tuple.of(group.id(), name))
                .compose(rows -> {
                    Row row = Sql.first(rows);
                    if (row == null) {
                        return Future.failedFuture(VregException.notFound(
                                "registry " + group.name() + "/" + name + " does not exist"));
                    }
                    return CacheHandler.remove(conn, row.getArrayOfLongs("upstreams"), null);
                })
                .map(deleted -> Reply.ok(new JsonObject().put("deleted", deleted)))));
    }
}
