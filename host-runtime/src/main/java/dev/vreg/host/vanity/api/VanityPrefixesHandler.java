package dev.vreg.host.vanity.api;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Fields;
import dev.vreg.host.api.Reply;
import dev.vreg.host.identity.Role;
import dev.vreg.host.plugins.PluginHost;
import dev.vreg.host.registry.RegistryStore;
import dev.vreg.host.vanity.VanityStore;
import dev.vreg.spi.FormatPlugin;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /groups/{group}/registries/{registry}/vanity-prefixes}: the name prefixes whose discovery requests the
 * registry answers (Go: {@code ?go-get=1} pages). Readers see them; maintainers replace the whole list, each prefix
 * checked by the registry's format.
 */
public final class VanityPrefixesHandler {

    public static final int MAX_PREFIXES = 20;

    private final VanityStore store;
    private final RegistryStore registries;
    private final Access access;
    private final PluginHost plugins;
    private final Runnable configChanged;

    public VanityPrefixesHandler(VanityStore store, RegistryStore registries, Access access, PluginHost plugins,
                                 Runnable configChanged) {
        this.store = store;
        this.registries = registries;
        this.access = access;
        this.plugins = plugins;
        this.configChanged = configChanged;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("getVanityPrefixes", Endpoint.of(this::get));
        binder.bind("putVanityPrefixes", Endpoint.changing(this::put, configChanged));
    }

    private Future<Reply> get(RoutingContext ctx) {
        String registry = ctx.pathParam("registry");
        return access.group(ctx, Role.READER)
                .compose(group -> store.prefixes(group.id(), group.name(), registry))
                .map(prefixes -> Reply.ok(body(registry, prefixes)));
    }

    private Future<Reply> put(RoutingContext ctx) {
        String registry = ctx.pathParam("registry");
        return access.group(ctx, Role.MAINTAINER).compose(group -> registries.get(group.id(), group.name(), registry)
                .compose(view -> {
                    List<String> prefixes = checked(Fields.of(ctx, "prefixes"), plugins.format(view.format()));
                    return store.replace(group.id(), group.name(), registry, prefixes);
                }))
                .map(prefixes -> Reply.ok(body(registry, prefixes)));
    }

    private static List<String> checked(Fields fields, Optional<FormatPlugin> format) {
        List<String> prefixes = fields.strings("prefixes");
        if (prefixes == null && !fields.has("prefixes")) {
            fields.error("prefixes", "is required");
        }
        if (prefixes != null) {
            if (prefixes.size() > MAX_PREFIXES) {
                fields.error("prefixes", "may hold at most " + MAX_PREFIXES + " prefixes");
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < prefixes.size(); i++) {
                String prefix = prefixes.get(i);
                String field = "prefixes[" + i + "]";
                if (!seen.add(prefix)) {
                    fields.error(field, "repeats " + prefix);
                    continue;
                }
                Optional<String> problem = format.isEmpty() ? Optional.of("the registry's format is not loaded")
                        : format.get().vanityPrefixProblem(prefix);
                problem.ifPresent(message -> fields.error(field, message));
            }
        }
        fields.check();
        return prefixes;
    }

    private static JsonObject body(String registry, List<String> prefixes) {
        return new JsonObject().put("registry", registry).put("prefixes", new JsonArray(prefixes));
    }
}
