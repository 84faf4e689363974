package dev.vreg.host.registry.api;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.AdminApi;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Fields;
import dev.vreg.host.api.Reply;
import dev.vreg.host.api.Sql;

import dev.vreg.host.identity.Role;
import dev.vreg.host.plugins.PluginHost;
import dev.vreg.host.registry.RegistryStore;
import dev.vreg.host.registry.RegistryView;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.TreeSet;

/** {@code /groups/{group}/registries}: maintainers create, change and delete registries; readers see them. */
public final class RegistriesHandler {

    private final RegistryStore registries;
    private final Access access;
    private final Runnable configChanged;
    private final PluginHost plugins;
    private final AdminApi.Limits limits;

    public RegistriesHandler(RegistryStore registries, Access access, PluginHost plugins, AdminApi.Limits limits,
                             Runnable configChanged) {
        this.configChanged = configChanged;
        this.registries = registries;
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
        return access.group(ctx, Role.MAINTAINER).compose(group -> registries.create(group.id(), group.name(), name,
                        format, isPublic != null && isPublic, description, limits.registriesPerGroupAndFormat())
                .map(registry -> Reply.created(json(group.name(), registry))));
    }

    private Future<Reply> list(RoutingContext ctx) {
        return access.group(ctx, Role.READER).compose(group -> registries.list(group.id())
                .map(list -> {
                    JsonArray array = new JsonArray();
                    list.forEach(registry -> array.add(json(group.name(), registry)));
                    return Reply.ok(array);
                }));
    }

    private Future<Reply> get(RoutingContext ctx) {
        String name = ctx.pathParam("registry");
        return access.group(ctx, Role.READER).compose(group -> registries.get(group.id(), group.name(), name)
                .compose(registry -> registries.links(registry.id())
                        .map(links -> Reply.ok(json(group.name(), registry).put("upstreams",
                                LinksHandler.json(links))))));
    }

    private Future<Reply> update(RoutingContext ctx) {
        Fields fields = Fields.of(ctx, "public", "description");
        Boolean isPublic = fields.bool("public");
        String description = fields.string("description", false, 1000);
        fields.check();
        String name = ctx.pathParam("registry");
        return access.group(ctx, Role.MAINTAINER).compose(group -> registries.update(group.id(), group.name(), name,
                        isPublic, fields.has("description"), description)
                .map(registry -> Reply.ok(json(group.name(), registry))));
    }

    private Future<Reply> delete(RoutingContext ctx) {
        String name = ctx.pathParam("registry");
        return access.group(ctx, Role.MAINTAINER).compose(group -> registries.delete(group.id(), group.name(), name))
                .map(v -> Reply.noContent());
    }

    private static JsonObject json(String group, RegistryView registry) {
        return new JsonObject().put("name", registry.name()).put("format", registry.format())
                .put("public", registry.isPublic()).put("description", registry.description())
                .put("path", "/" + registry.format() + "/" + group + "/" + registry.name())
                .put("upstreamsCount", registry.upstreamsCount())
                .put("createdAt", Sql.time(registry.createdAt())).put("updatedAt", Sql.time(registry.updatedAt()));
    }
}
