package dev.vreg.host.pull;

import dev.vreg.host.http.ErrorResponder;
import dev.vreg.host.registry.RegistryDirectory;
import dev.vreg.spi.VregException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The stage that splits the path once and finds its registry of this format; a path that names no registry, or a
 * registry that does not exist, is a 404.
 */
final class ResolveRegistry implements Handler<RoutingContext> {

    private final String format;
    private final RegistryDirectory registries;

    ResolveRegistry(String format, RegistryDirectory registries) {
        this.format = format;
        this.registries = registries;
    }

    @Override
    public void handle(RoutingContext ctx) {
        RegistryPath path = RegistryPath.parse(ctx.request().path()).orElse(null);
        if (path == null) {
            ErrorResponder.send(ctx.response(), VregException.notFound("not a registry path"));
            return;
        }
        registries.find(path.group(), path.registry()).onComplete(found -> {
            if (found.failed()) {
                ErrorResponder.send(ctx.response(), found.cause());
            } else if (found.result().filter(r -> r.format().equals(format)).isEmpty()) {
                ErrorResponder.send(ctx.response(), doesNotExist(path));
            } else {
                PullContext.path(ctx, path);
                PullContext.registry(ctx, found.result().get());
                ctx.next();
            }
        });
    }

    static VregException doesNotExist(RegistryPath path) {
        return VregException.notFound("registry " + path.displayName() + " does not exist");
    }
}
