package dev.vreg.host.stats.api;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Reply;
import dev.vreg.host.identity.Role;
import dev.vreg.host.registry.RegistryStore;
import dev.vreg.host.stats.StatisticsQueries;
import dev.vreg.host.upstream.UpstreamStore;
import dev.vreg.host.upstream.api.UpstreamsHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/**
 * {@code GET /groups/{group}/registries/{registry}/statistics} and {@code GET /groups/{group}/upstreams/{id}/statistics}
 * (reader): usage over a range of hours or days, from the rows every node writes in batches.
 */
public final class StatisticsHandler {

    private final StatisticsQueries queries;
    private final RegistryStore registries;
    private final UpstreamStore upstreams;
    private final Access access;
    private final Clock clock;

    public StatisticsHandler(StatisticsQueries queries, RegistryStore registries, UpstreamStore upstreams,
                             Access access, Clock clock) {
        this.queries = queries;
        this.registries = registries;
        this.upstreams = upstreams;
        this.access = access;
        this.clock = clock;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("getRegistryStatistics", Endpoint.of(this::registry));
        binder.bind("getUpstreamStatistics", Endpoint.of(this::upstream));
    }

    private Future<Reply> registry(RoutingContext ctx) {
        StatisticsQueries.Range range = StatisticsRange.of(ctx, clock);
        String name = ctx.pathParam("registry");
        return access.group(ctx, Role.READER)
                .compose(group -> registries.get(group.id(), group.name(), name)
                        .compose(registry -> queries.registry(registry.id(), range)
                                .map(stats -> new JsonObject().put("group", group.name())
                                        .put("registry", registry.name())
                                        .put("upstreamsCount", registry.upstreamsCount())
                                        .mergeIn(stats))))
                .map(Reply::ok);
    }

    private Future<Reply> upstream(RoutingContext ctx) {
        StatisticsQueries.Range range = StatisticsRange.of(ctx, clock);
        long upstreamId = UpstreamsHandler.upstreamId(ctx);
        return access.group(ctx, Role.READER)
                .compose(group -> upstreams.get(group.id(), group.name(), upstreamId)
                        .compose(upstream -> queries.upstream(upstreamId, range)
                                .map(stats -> new JsonObject().put("group", group.name())
                                        .put("upstreamId", upstream.id()).put("upstream", upstream.name())
                                        .put("connection", upstream.status())
                                        .mergeIn(stats))))
                .map(Reply::ok);
    }
}
