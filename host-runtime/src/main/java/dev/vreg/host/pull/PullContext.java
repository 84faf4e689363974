package dev.vreg.host.pull;

import dev.vreg.host.identity.Principal;
import dev.vreg.host.registry.Registry;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/** What the pull stages learn about a request, kept on its {@link RoutingContext} for the stages after them. */
public final class PullContext {

    private static final String PATH = "vreg.pull.path";
    private static final String REGISTRY = "vreg.pull.registry";
    private static final String PRINCIPAL = "vreg.pull.principal";

    private PullContext() {
    }

    static void path(RoutingContext ctx, RegistryPath path) {
        ctx.put(PATH, path);
    }

    public static RegistryPath path(RoutingContext ctx) {
        return required(ctx, PATH);
    }

    static void registry(RoutingContext ctx, Registry registry) {
        ctx.put(REGISTRY, registry);
    }

    public static Registry registry(RoutingContext ctx) {
        return required(ctx, REGISTRY);
    }

    static void principal(RoutingContext ctx, Principal principal) {
        ctx.put(PRINCIPAL, principal);
    }

    /** Who pulls, when the registry asked; empty for a public registry. */
    public static Optional<Principal> principal(RoutingContext ctx) {
        return Optional.ofNullable(ctx.get(PRINCIPAL));
    }

    private static <T> T required(RoutingContext ctx, String key) {
        T value = ctx.get(key);
        if (value == null) {
            throw new IllegalStateException(key + " is read before the stage that sets it ran");
        }
        return value;
    }
}
