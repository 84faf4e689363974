package dev.vreg.host.identity.api;

import dev.vreg.spi.VregException;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiAuthHandler;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Fields;
import dev.vreg.host.api.Reply;

import dev.vreg.host.identity.Principal;
import dev.vreg.host.identity.UserStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /users} (the instance admin's; a user may read their own) and {@code /user} (whoever is calling). The
 * instance always keeps an admin, and a group its owner.
 */
public final class UsersHandler {

    private final UserStore users;
    private final Runnable authChanged;

    public UsersHandler(UserStore users, Runnable authChanged) {
        this.users = users;
        this.authChanged = authChanged;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("createUser", Endpoint.of(this::create));
        binder.bind("listUsers", Endpoint.of(this::list));
        binder.bind("getCurrentUser", Endpoint.of(this::me));
        binder.bind("getUser", Endpoint.of(this::get));
        binder.bind("updateUser", Endpoint.changing(this::update, authChanged));
        binder.bind("deleteUser", Endpoint.changing(this::delete, authChanged));
    }

    private Future<Reply> get(RoutingContext ctx) {
        Principal caller = ApiAuthHandler.principal(ctx);
        String username = ctx.pathParam("username");
        if (!caller.admin() && !username.equals(caller.username())) {
            return Future.failedFuture(VregException.notFound("user " + username + " does not exist"));
        }
        return users.details(username).map(found -> {
            UserStore.Details details = found.orElseThrow(
                    () -> VregException.notFound("user " + username + " does not exist"));
            JsonArray groups = new JsonArray();
            details.groups().forEach(group -> groups.add(new JsonObject().put("name", group.group())
                    .put("role", group.role().id())));
            return Reply.ok(json(details.user()).put("groups", groups));
        });
    }

    private Future<Reply> update(RoutingContext ctx) {
        Access.requireAdmin(ApiAuthHandler.principal(ctx));
        String username = ctx.pathParam("username");
        Fields fields = Fields.of(ctx, "email", "admin");
        boolean emailGiven = fields.has("email");
        String email = fields.string("email", false, 254);
        Boolean admin = fields.bool("admin");
        fields.check();
        return users.update(username, emailGiven, email, admin).map(user -> Reply.ok(json(user.orElseThrow(
                () -> VregException.notFound("user " + username + " does not exist")))));
    }

    private Future<Reply> delete(RoutingContext ctx) {
        Access.requireAdmin(ApiAuthHandler.principal(ctx));
        String username = ctx.pathParam("username");
        return users.delete(username).map(deleted -> {
            if (!deleted) {
                throw VregException.notFound("user " + username + " does not exist");
            }
            return Reply.noContent();
        });
    }

    private Future<Reply> create(RoutingContext ctx) {
        Access.requireAdmin(ApiAuthHandler.principal(ctx));
        Fields fields = Fields.of(ctx, "username", "email", "admin");
        String username = fields.name("username", true);
        String email = fields.string("email", false, 254);
        Boolean admin = fields.bool("admin");
        fields.check();
        return users.create(username, email, admin != null && admin).map(user -> Reply.created(json(user.orElseThrow(
                () -> VregException.conflict("user " + username + " already exists")))));
    }

    private Future<Reply> list(RoutingContext ctx) {
        Access.requireAdmin(ApiAuthHandler.principal(ctx));
        return users.list().map(found -> {
            JsonArray list = new JsonArray();
            found.forEach(user -> list.add(json(user)));
            return Reply.ok(list);
        });
    }

    private Future<Reply> me(RoutingContext ctx) {
        Principal caller = ApiAuthHandler.principal(ctx);
        return users.find(caller.userId()).map(user -> Reply.ok(json(user.orElseThrow())));
    }

    private static JsonObject json(UserStore.User user) {
        return new JsonObject().put("username", user.username()).put("email", user.email())
                .put("admin", user.admin())
                .put("createdAt", user.createdAt() == null ? null : user.createdAt().toString());
    }
}
