package dev.vreg.host.identity.api;

import dev.vreg.host.api.ApiAuthHandler;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Reply;

import dev.vreg.host.identity.AuthorizationHeader;
import dev.vreg.host.identity.Principal;
import dev.vreg.host.identity.Scope;
import dev.vreg.host.identity.Sessions;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code POST /sessions}: exchanges the caller's personal token (or a session, to renew it) for a session, a JWT the
 * web console keeps instead of the token. The session carries the token's scopes and ends with it.
 * {@code DELETE /session}: ends the calling session (signing out), with every session renewed from it, on every node.
 */
public final class SessionsHandler {

    private final Sessions sessions;
    private final Clock clock;

    public SessionsHandler(Sessions sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("createSession", Endpoint.of(this::create));
        binder.bind("endSession", Endpoint.of(this::end));
    }

    private Future<Reply> create(RoutingContext ctx) {
        Principal caller = ApiAuthHandler.principal(ctx);
        return callingSession(ctx).map(renewed -> {
            Sessions.Issued session = sessions.issue(caller, renewed.orElse(null));
            long expiresIn = Math.max(0, Duration.between(clock.instant(), session.expiresAt()).toSeconds());
            return Reply.created(new JsonObject()
                    .put("accessToken", session.token())
                    .put("tokenType", "Bearer")
                    .put("expiresAt", session.expiresAt().toString())
                    .put("expiresIn", expiresIn)
                    .put("scopes", new JsonArray(session.scopes().stream().map(Scope::id).sorted().toList()))
                    .put("username", caller.username()));
        });
    }

    private Future<Reply> end(RoutingContext ctx) {
        return callingSession(ctx).compose(session -> session.isEmpty()
                ? Future.failedFuture(VregException.conflict("this call is authenticated by a personal token, "
                        + "not a session; a token is revoked with DELETE /users/{username}/tokens/{tokenId}"))
                : sessions.end(session.get()).map(Reply.noContent()));
    }

    /** The session the call is authenticated by; empty for a personal token. */
    private Future<Optional<Sessions.Claims>> callingSession(RoutingContext ctx) {
        Optional<String> token = AuthorizationHeader.token(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
        return token.isPresent() && Sessions.looksLikeSession(token.get())
                ? sessions.verify(token.get())
                : Future.succeededFuture(Optional.empty());
    }
}
