package dev.vreg.host.identity.api;

import dev.vreg.host.api.ApiAuthHandler;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Reply;

import dev.vreg.host.identity.Principal;
import dev.vreg.host.identity.Scope;
import dev.vreg.host.identity.Sessions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;

/**
 * {@code POST /sessions}: exchanges the caller's personal token (or a session, to renew it) for a session, a JWT the
 * web console keeps instead of the token. The session carries the token's scopes and ends with it.
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
    }

    private Future<Reply> create(RoutingContext ctx) {
        Principal caller = ApiAuthHandler.principal(ctx);
        Sessions.Issued session = sessions.issue(caller);
        long expiresIn = Math.max(0, Duration.between(clock.instant(), session.expiresAt()).toSeconds());
        return Future.succeededFuture(Reply.created(new JsonObject()
                .put("accessToken", session.token())
                .put("tokenType", "Bearer")
                .put("expiresAt", session.expiresAt().toString())
                .put("expiresIn", expiresIn)
                .put("scopes", new JsonArray(session.scopes().stream().map(Scope::id).sorted().toList()))
                .put("username", caller.username())));
    }
}
