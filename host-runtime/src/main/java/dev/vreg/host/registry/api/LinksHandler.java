package dev.vreg.host.registry.api;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.AdminApi;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Fields;
import dev.vreg.host.api.Reply;
import dev.vreg.host.upstream.api.UpstreamsHandler;

import dev.vreg.host.identity.Role;
import dev.vreg.host.plugins.PluginHost;
import dev.vreg.host.registry.RegistryStore;
import dev.vreg.host.registry.UpstreamLink;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code /groups/{group}/registries/{registry}/upstreams}: which upstreams a registry asks, in which order.
 * Positions are always 1..n without gaps ({@link RegistryStore} keeps them so).
 */
public final class LinksHandler {

    private final RegistryStore registries;
    private final Access access;
    private final Runnable configChanged;
    private final PluginHost plugins;
    private final AdminApi.Limits limits;

    public LinksHandler(RegistryStore registries, Access access, PluginHost plugins, AdminApi.Limits limits,
                 Runnable configChanged) {
        this.configChanged = configChanged;
        this.registries = registries;
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

    private Future<Reply> list(RoutingContext ctx) {
        String registry = ctx.pathParam("registry");
        return access.group(ctx, Role.READER).compose(group -> registries.links(group.id(), group.name(), registry))
                .map(links -> Reply.ok(body(registry, links)));
    }

    private Future<Reply> link(RoutingContext ctx) {
        Fields fields = Fields.of(ctx, "upstreamId", "position");
        Long upstreamId = fields.integer("upstreamId", 1, Long.MAX_VALUE, true);
        Long position = fields.integer("position", 1, Integer.MAX_VALUE, false);
        fields.check();
        String registry = ctx.pathParam("registry");
        return access.group(ctx, Role.MAINTAINER).compose(group -> registries.link(group.id(), group.name(),
                        registry, upstreamId, position, limits.upstreamsPerRegistry(), this::serves))
                .map(links -> Reply.created(body(registry, links)));
    }

    /** Whether upstreams of {@code kind} can serve {@code format}. */
    private boolean serves(String kind, String format) {
        return plugins.upstreamKind(kind).map(p -> p.formats().contains(format)).orElse(false);
    }

    private Future<Reply> move(RoutingContext ctx) {
        Fields fields = Fields.of(ctx, "position");
        Long position = fields.integer("position", 1, Integer.MAX_VALUE, true);
        fields.check();
        long upstreamId = UpstreamsHandler.upstreamId(ctx);
        String registry = ctx.pathParam("registry");
        return access.group(ctx, Role.MAINTAINER).compose(group -> registries.move(group.id(), group.name(),
                        registry, upstreamId, position))
                .map(links -> Reply.ok(body(registry, links)));
    }

    private Future<Reply> unlink(RoutingContext ctx) {
        long upstreamId = UpstreamsHandler.upstreamId(ctx);
        String registry = ctx.pathParam("registry");
        return access.group(ctx, Role.MAINTAINER).compose(group -> registries.unlink(group.id(), group.name(),
                        registry, upstreamId))
                .map(v -> Reply.noContent());
    }

    /** Answers about links show the registry's whole order, which is what a change of one position affects. */
    private static JsonObject body(String registry, List<UpstreamLink> links) {
        return new JsonObject().put("registry", registry).put("upstreams", json(links));
    }

    /** Links as the API shows them, by position. */
    static JsonArray json(List<UpstreamLink> links) {
        JsonArray list = new JsonArray();
        for (UpstreamLink link : links) {
            list.add(new JsonObject().put("position", link.position()).put("upstreamId", link.upstreamId())
                    .put("name", link.name()).put("kind", link.kind()).put("url", link.url()));
        }
        return list;
    }
}
