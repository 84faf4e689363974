package dev.vreg.host.identity.api;

import dev.vreg.spi.VregException;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiAuthHandler;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Fields;
import dev.vreg.host.api.Reply;

import dev.vreg.host.identity.Principal;
import dev.vreg.host.identity.Role;
import dev.vreg.host.identity.Scope;
import dev.vreg.host.identity.TokenStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Personal tokens ({@code /users/{username}/tokens}: the user themself or the instance admin) and deploy tokens
 * ({@code /groups/{group}/deploy-tokens}: group owners). The plaintext is in the creation answer only.
 */
public final class TokensHandler {

    private final TokenStore tokens;
    private final Access access;
    private final Clock clock;
    private final Runnable authChanged;

    public TokensHandler(TokenStore tokens, Access access, Clock clock, Runnable authChanged) {
        this.tokens = tokens;
        this.access = access;
        this.clock = clock;
        this.authChanged = authChanged;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("createPersonalToken", Endpoint.of(this::createPersonal));
        binder.bind("listPersonalTokens", Endpoint.of(this::listPersonal));
        binder.bind("revokePersonalToken", Endpoint.of(this::revokePersonal));
        binder.bind("createDeployToken", Endpoint.of(this::createDeploy));
        binder.bind("listDeployTokens", Endpoint.of(this::listDeploy));
        binder.bind("revokeDeployToken", Endpoint.of(this::revokeDeploy));
    }

    /** Only the user themself or the instance admin manage a user's tokens; others are told the user is unknown. */
    private static String ownUser(RoutingContext ctx, Scope scope) {
        Principal caller = ApiAuthHandler.principal(ctx);
        String username = ctx.pathParam("username");
        if (!caller.admin() && !username.equals(caller.username())) {
            throw VregException.notFound("user " + username + " does not exist");
        }
        Access.requireScope(caller, scope);
        return username;
    }

    private Future<Reply> createPersonal(RoutingContext ctx) {
        String username = ownUser(ctx, Scope.WRITE);
        Principal caller = ApiAuthHandler.principal(ctx);
        Fields fields = Fields.of(ctx, "name", "scopes", "expiresAt");
        String name = fields.string("name", true, 100);
        List<String> scopeNames = fields.strings("scopes");
        Instant expires = expiry(fields);
        List<Scope> scopes = new ArrayList<>();
        if (scopeNames == null || scopeNames.isEmpty()) {
            fields.error("scopes", "must list at least one of read, write, admin");
        } else {
            for (String s : scopeNames) {
                Scope scope = Scope.parse(s).orElse(null);
                if (scope == null) {
                    fields.error("scopes", "'" + s + "' is not one of read, write, admin");
                } else if (!caller.hasScope(scope)) {
                    // A token can never create a token stronger than itself.
                    fields.error("scopes", "'" + s + "' is more than the calling token may grant");
                } else {
                    scopes.add(scope);
                }
            }
        }
        fields.check();
        return tokens.createPersonal(username, name, scopes, expires)
                .map(issued -> issued.map(TokensHandler::created)
                        .orElseThrow(() -> VregException.notFound("user " + username + " does not exist")));
    }

    private Future<Reply> listPersonal(RoutingContext ctx) {
        String username = ownUser(ctx, Scope.READ);
        return tokens.listPersonal(username).map(list -> list(list.orElse(List.of())));
    }

    private Future<Reply> revokePersonal(RoutingContext ctx) {
        String username = ownUser(ctx, Scope.WRITE);
        return revoke(ctx.pathParam("tokenId"), id -> tokens.revokePersonal(username, id));
    }

    private Future<Reply> createDeploy(RoutingContext ctx) {
        Fields fields = Fields.of(ctx, "name", "expiresAt");
        String name = fields.string("name", true, 100);
        Instant expires = expiry(fields);
        fields.check();
        return access.group(ctx, Role.OWNER)
                .compose(group -> tokens.createDeploy(group.id(), name, expires))
                .map(TokensHandler::created);
    }

    private Future<Reply> listDeploy(RoutingContext ctx) {
        return access.group(ctx, Role.OWNER).compose(group -> tokens.listDeploy(group.id()))
                .map(TokensHandler::list);
    }

    private Future<Reply> revokeDeploy(RoutingContext ctx) {
        return access.group(ctx, Role.OWNER)
                .compose(group -> revoke(ctx.pathParam("tokenId"), id -> tokens.revokeDeploy(group.id(), id)));
    }

    private Future<Reply> revoke(String idText, Function<Long, Future<Boolean>> revoke) {
        long id;
        try {
            id = Long.parseLong(idText);
        } catch (NumberFormatException e) {
            return Future.failedFuture(VregException.notFound("token " + idText + " does not exist"));
        }
        return revoke.apply(id)
                .compose(revoked -> revoked ? Future.<Void>succeededFuture()
                        : Future.failedFuture(VregException.notFound("token " + id + " does not exist")))
                .onSuccess(v -> authChanged.run())
                .map(v -> Reply.noContent());
    }

    private Instant expiry(Fields fields) {
        Instant expires = fields.instant("expiresAt");
        if (expires != null && !expires.isAfter(clock.instant())) {
            fields.error("expiresAt", "must be in the future");
        }
        return expires;
    }

    private static Reply created(TokenStore.Issued issued) {
        return Reply.created(json(issued.info()).put("token", issued.token()));
    }

    private static Reply list(List<TokenStore.TokenInfo> tokens) {
        JsonArray list = new JsonArray();
        tokens.forEach(token -> list.add(json(token)));
        return Reply.ok(list);
    }

    private static JsonObject json(TokenStore.TokenInfo token) {
        return new JsonObject().put("id", token.id()).put("kind", token.kind())
                .put("name", token.name()).put("scopes", new JsonArray(token.scopes()))
                .put("expiresAt", time(token.expiresAt())).put("lastUsedAt", time(token.lastUsedAt()))
                .put("createdAt", time(token.createdAt()));
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
