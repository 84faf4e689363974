package dev.vreg.host.api;

import dev.vreg.spi.VregException;

import dev.vreg.host.identity.Authenticator;
import dev.vreg.host.identity.Principal;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Authenticates every admin API call with a personal token or a session ({@code Authorization: Bearer ...}). Deploy
 * tokens only
 * pull packages, so they are refused here.
 */
public final class ApiAuthHandler implements Handler<RoutingContext> {

    public static final String PRINCIPAL = "vreg.api.principal";

    private final Authenticator authenticator;

    public ApiAuthHandler(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            Endpoint.fail(ctx.response(),
                    VregException.unauthorized("a personal token or a session is required as a Bearer token"));
            return;
        }
        authenticator.authenticate(header).onComplete(auth -> {
            if (auth.failed()) {
                Endpoint.fail(ctx.response(), auth.cause());
            } else if (auth.result().isEmpty()) {
                Endpoint.fail(ctx.response(), VregException.unauthorized("the token is not valid or has expired"));
            } else if (auth.result().get().deploy()) {
                Endpoint.fail(ctx.response(), VregException.forbidden("a deploy token can only pull packages"));
            } else {
                ctx.put(PRINCIPAL, auth.result().get());
                ctx.next();
            }
        });
    }

    public static Principal principal(RoutingContext ctx) {
        return ctx.get(PRINCIPAL);
    }
}
