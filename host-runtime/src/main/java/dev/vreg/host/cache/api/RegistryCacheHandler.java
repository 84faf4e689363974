package dev.vreg.host.cache.api;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Reply;

import dev.vreg.host.cache.CacheRepository;
import dev.vreg.host.identity.Role;
import dev.vreg.host.registry.RegistryStore;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code DELETE /groups/{group}/registries/{registry}/cache}: empties the caches of every upstream the registry
 * uses, so its next requests fetch again. Upstreams are shared, so other registries using them lose those entries
 * too, exactly as when each upstream's cache is removed on its own.
 */
public final class RegistryCacheHandler {

    private final CacheRepository cache;
    private final RegistryStore registries;
    private final Access access;
    private final Runnable cacheChanged;
    private final CacheHandler.Collection collection;

    public RegistryCacheHandler(CacheRepository cache, RegistryStore registries, Access access,
                                Runnable cacheChanged, CacheHandler.Collection collection) {
        this.cache = cache;
        this.registries = registries;
        this.access = access;
        this.cacheChanged = cacheChanged;
        this.collection = collection;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("purgeRegistryCache", Endpoint.changing(this::purge, cacheChanged));
    }

    private Future<Reply> purge(RoutingContext ctx) {
        String name = ctx.pathParam("registry");
        return access.group(ctx, Role.MAINTAINER)
                .compose(group -> registries.upstreamIds(group.id(), group.name(), name))
                .compose(upstreamIds -> cache.remove(upstreamIds, null))
                .compose(deleted -> CacheHandler.removed(deleted, collection));
    }
}
