package dev.vreg.host.pull;

import dev.vreg.host.http.ErrorResponder;
import dev.vreg.host.identity.Authenticator;
import dev.vreg.host.registry.Registry;
import dev.vreg.spi.VregException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * The stage that admits a pull: a public registry admits anyone; a private one needs a token carrying at least
 * {@code reader} in the registry's group. No or a bad token gets 401 (which stops the go command's GOPROXY fallback
 * and makes it ask GOAUTH); a valid token without access gets exactly the 404 of a registry that does not exist,
 * so registry names do not leak across groups.
 */
final class AuthenticatePull implements Handler<RoutingContext> {

    private final Authenticator authenticator;

    AuthenticatePull(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Registry registry = PullContext.registry(ctx);
        if (registry.isPublic()) {
            ctx.next();
            return;
        }
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        authenticator.authenticate(header).onComplete(auth -> {
            if (auth.failed()) {
                ErrorResponder.send(ctx.response(), auth.cause());
            } else if (auth.result().isEmpty()) {
                ErrorResponder.send(ctx.response(), VregException.unauthorized(header == null
                        ? "authentication required: use a vreg token as the password or a Bearer token"
                        : "the token is not valid or has expired"));
            } else if (!auth.result().get().canPull(registry.group())) {
                ErrorResponder.send(ctx.response(), ResolveRegistry.doesNotExist(PullContext.path(ctx)));
            } else {
                PullContext.principal(ctx, auth.result().get());
                ctx.next();
            }
        });
    }
}
