package dev.vreg.host.identity.api;

import dev.vreg.spi.VregException;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiAuthHandler;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Fields;
import dev.vreg.host.api.Reply;
import dev.vreg.host.api.Sql;

import dev.vreg.host.identity.Principal;
import dev.vreg.host.identity.Role;
import dev.vreg.host.identity.Scope;
import dev.vreg.host.identity.Tokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Personal tokens ({@code /users/{username}/tokens}: the user themself or the instance admin) and deploy tokens
 * ({@code /groups/{group}/deploy-tokens}: group owners). The plaintext is in the creation answer only.
 */
public final class TokensHandler {

    private static final String COLUMNS = "id, kind, name, scopes, expires_at, last_used_at, created_at";

    private final Pool pool;
    private final Access access;
    private final Clock clock;
    private final Runnable authChanged;

    public TokensHandler(Pool pool, Access access, Clock clock, Runnable authChanged) {
        this.pool = pool;
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
                }
            }
        }
        fields.check();
        String token = Tokens.generate();
        return pool.preparedQuery("INSERT INTO tokens (kind, name, user_id, hash, scopes, expires_at) "
                        + "SELECT 'personal', $2, id, $3, $4, $5 FROM users WHERE username = $1 RETURNING " + COLUMNS)
                .execute(Tuple.of(username, name, Tokens.hash(token),
                        scopeNames.stream().distinct().toArray(String[]::new),
                        expires == null ? null : expires.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    Row row = Sql.first(rows);
                    if (row == null) {
                        throw VregException.notFound("user " + username + " does not exist");
                    }
                    return Reply.created(json(row).put("token", token));
                });
    }

    private Future<Reply> listPersonal(RoutingContext ctx) {
        String username = ownUser(ctx, Scope.READ);
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM tokens WHERE user_id = "
                        + "(SELECT id FROM users WHERE username = $1) ORDER BY id")
                .execute(Tuple.of(username)).map(TokensHandler::list);
    }

    private Future<Reply> revokePersonal(RoutingContext ctx) {
        String username = ownUser(ctx, Scope.WRITE);
        return revoke("user_id = (SELECT id FROM users WHERE username = $2)", username, ctx.pathParam("tokenId"));
    }

    private Future<Reply> createDeploy(RoutingContext ctx) {
        Fields fields = Fields.of(ctx, "name", "expiresAt");
        String name = fields.string("name", true, 100);
        Instant expires = expiry(fields);
        fields.check();
        String token = Tokens.generate();
        return access.group(ctx, Role.OWNER).compose(group -> pool.preparedQuery(
                        "INSERT INTO tokens (kind, name, group_id, hash, scopes, expires_at) "
                                + "VALUES ('deploy', $1, $2, $3, ARRAY['read'], $4) RETURNING " + COLUMNS)
                .execute(Tuple.of(name, group.id(), Tokens.hash(token),
                        expires == null ? null : expires.atOffset(ZoneOffset.UTC)))
                .map(rows -> Reply.created(json(Sql.first(rows)).put("token", token))));
    }

    private Future<Reply> listDeploy(RoutingContext ctx) {
        return access.group(ctx, Role.OWNER).compose(group -> pool.preparedQuery(
                        "SELECT " + COLUMNS + " FROM tokens WHERE group_id = $1 ORDER BY id")
                .execute(Tuple.of(group.id())).map(TokensHandler::list));
    }

    private Future<Reply> revokeDeploy(RoutingContext ctx) {
        return access.group(ctx, Role.OWNER)
                .compose(group -> revoke("group_id = $2", group.id(), ctx.pathParam("tokenId")));
    }

    private Future<Reply> revoke(String owner, Object ownerValue, String idText) {
        long id;
        try {
            id = Long.parseLong(idText);
        } catch (NumberFormatException e) {
            return Future.failedFuture(VregException.notFound("token " + idText + " does not exist"));
        }
        return pool.withTransaction(conn -> conn.preparedQuery("DELETE FROM tokens WHERE id = $1 AND " + owner)
                        .execute(Tuple.of(id, ownerValue))
                        .compose(rows -> rows.rowCount() == 0
                                ? Future.failedFuture(VregException.notFound("token " + id + " does not exist"))
                                : Sql.notifyAuth(conn)))
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

    private static Reply list(io.vertx.sqlclient.RowSet<Row> rows) {
        JsonArray list = new JsonArray();
        rows.forEach(row -> list.add(json(row)));
        return Reply.ok(list);
    }

    private static JsonObject json(Row row) {
        return new JsonObject().put("id", row.getLong("id")).put("kind", row.getString("kind"))
                .put("name", row.getString("name")).put("scopes", new JsonArray(List.of(row.getArrayOfStrings("scopes"))))
                .put("expiresAt", Sql.time(row, "expires_at")).put("lastUsedAt", Sql.time(row, "last_used_at"))
                .put("createdAt", Sql.time(row, "created_at"));
    }
}
