package dev.vreg.host.pull;

import dev.vreg.host.identity.Authenticator;
import dev.vreg.host.identity.Principal;

import dev.vreg.host.http.ErrorResponder;
import dev.vreg.host.registry.Registry;
import dev.vreg.host.registry.RegistryDirectory;
import dev.vreg.spi.VregException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Guards {@code /{format}/{group}/{registry}/...}: a public registry admits anyone; a private one needs a token
 * carrying at least {@code reader} in the registry's group. No or a bad token gets 401 (which stops the go
 * command's GOPROXY fallback and makes it ask GOAUTH); a valid token without access gets exactly the 404 of a
 * registry that does not exist, so registry names do not leak across groups. Anything it cannot place (malformed
 * paths, unknown registries) is left to the artifact handler to answer.
 */
public final class PullAuthHandler implements Handler<RoutingContext> {

    /** The {@link Principal} of an authenticated pull, when there is one. */
    public static final String PRINCIPAL = "vreg.principal";

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,62}[a-z0-9])?");

    private final String format;
    private final RegistryDirectory registries;
    private final Authenticator authenticator;

    public PullAuthHandler(String format, RegistryDirectory registries, Authenticator authenticator) {
        this.format = format;
        this.registries = registries;
        this.authenticator = authenticator;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String[] parts = ctx.request().path().split("/", 5);
        if (parts.length < 4 || !NAME.matcher(parts[2]).matches() || !NAME.matcher(parts[3]).matches()) {
            ctx.next();
            return;
        }
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        registries.find(parts[2], parts[3]).onComplete(found -> {
            if (found.failed()) {
                // Fail closed: letting the request on could serve a private registry if a retry of the lookup worked.
                ErrorResponder.send(ctx.response(), found.cause());
                return;
            }
            Optional<Registry> registry = found.result().filter(r -> r.format().equals(format));
            if (registry.isEmpty() || registry.get().isPublic()) {
                ctx.next();
                return;
            }
            Registry r = registry.get();
            authenticator.authenticate(header).onComplete(auth -> {
                if (auth.failed()) {
                    ErrorResponder.send(ctx.response(), auth.cause());
                } else if (auth.result().isEmpty()) {
                    unauthorized(ctx.response(), header == null);
                } else if (!auth.result().get().canPull(r.group())) {
                    ErrorResponder.send(ctx.response(),
                            VregException.notFound("registry " + r.displayName() + " does not exist"));
                } else {
                    ctx.put(PRINCIPAL, auth.result().get());
                    ctx.next();
                }
            });
        });
    }

    private static void unauthorized(HttpServerResponse response, boolean anonymous) {
        response.setStatusCode(401)
                .putHeader("WWW-Authenticate", "Basic realm=\"vreg\"")
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(anonymous ? "authentication required: use a vreg token as the password or a Bearer token\n"
                        : "the token is not valid or has expired\n");
    }
}
