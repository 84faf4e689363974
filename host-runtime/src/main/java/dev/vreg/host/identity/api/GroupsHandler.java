package dev.vreg.host.identity.api;

import dev.vreg.spi.VregException;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiAuthHandler;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Fields;
import dev.vreg.host.api.Reply;

import dev.vreg.host.identity.GroupStore;
import dev.vreg.host.identity.Principal;
import dev.vreg.host.identity.Role;
import dev.vreg.host.identity.Scope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.SqlConnection;
import java.util.function.BiFunction;

/**
 * {@code /groups}: any user may create a top-level group and becomes its owner; members see their groups; owners
 * delete them with everything in them.
 */
public final class GroupsHandler {

    private final GroupStore groups;
    private final Access access;
    private final Runnable changed;
    private final BiFunction<SqlConnection, Long, Future<Void>> deleteContents;

    /**
     * @param deleteContents deletes what a group about to be deleted holds (its registries), inside the deleting
     *                       transaction; owned by the domain of those tables
     */
    public GroupsHandler(GroupStore groups, Access access,
                         BiFunction<SqlConnection, Long, Future<Void>> deleteContents, Runnable changed) {
        this.deleteContents = deleteContents;
        this.groups = groups;
        this.access = access;
        this.changed = changed;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("createGroup", Endpoint.of(this::create));
        binder.bind("listGroups", Endpoint.of(this::list));
        binder.bind("getGroup", Endpoint.of(this::get));
        binder.bind("deleteGroup", Endpoint.of(this::delete));
    }

    private Future<Reply> create(RoutingContext ctx) {
        Principal caller = ApiAuthHandler.principal(ctx);
        Access.requireScope(caller, Scope.WRITE);
        Fields fields = Fields.of(ctx, "name");
        String name = fields.name("name", true);
        fields.check();
        return groups.create(name, caller.userId()).map(group -> group
                .map(g -> Reply.created(json(g, Role.OWNER)))
                .orElseThrow(() -> VregException.conflict("group " + name + " already exists")));
    }

    private Future<Reply> list(RoutingContext ctx) {
        Principal caller = ApiAuthHandler.principal(ctx);
        return groups.list(caller.userId(), caller.admin()).map(found -> {
            JsonArray list = new JsonArray();
            for (GroupStore.GroupRole entry : found) {
                Role role = caller.admin() ? Role.OWNER : entry.role().orElseThrow();
                list.add(json(entry.group(), role));
            }
            return Reply.ok(list);
        });
    }

    private Future<Reply> get(RoutingContext ctx) {
        return access.group(ctx, Role.READER).compose(group -> groups.summary(group.id())
                .map(summary -> Reply.ok(json(summary.group(), group.role())
                        .put("registriesCount", summary.registries())
                        .put("upstreamsCount", summary.upstreams())
                        .put("membersCount", summary.members()))));
    }

    /**
     * Deletes the group, its registries, upstreams, cache entries, memberships and deploy tokens. Registries go
     * first because their links hold on to the upstreams.
     */
    private Future<Reply> delete(RoutingContext ctx) {
        return access.group(ctx, Role.OWNER).compose(group -> groups
                        .delete(group.id(), conn -> deleteContents.apply(conn, group.id())))
                .onSuccess(v -> changed.run())
                .map(v -> Reply.noContent());
    }

    private static JsonObject json(GroupStore.Group group, Role role) {
        return new JsonObject().put("name", group.name()).put("role", role.id())
                .put("createdAt", group.createdAt() == null ? null : group.createdAt().toString());
    }
}
