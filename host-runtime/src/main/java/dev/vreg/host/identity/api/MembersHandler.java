package dev.vreg.host.identity.api;

import dev.vreg.spi.VregException;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Fields;
import dev.vreg.host.api.Reply;

import dev.vreg.host.identity.GroupStore;
import dev.vreg.host.identity.Role;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code /groups/{group}/members}: owners add, change and remove members; members see who else is one. */
public final class MembersHandler {

    private final GroupStore groups;
    private final Access access;
    private final Runnable authChanged;

    public MembersHandler(GroupStore groups, Access access, Runnable authChanged) {
        this.groups = groups;
        this.access = access;
        this.authChanged = authChanged;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("listMembers", Endpoint.of(this::list));
        binder.bind("putMember", Endpoint.of(this::put));
        binder.bind("deleteMember", Endpoint.of(this::delete));
    }

    private Future<Reply> list(RoutingContext ctx) {
        return access.group(ctx, Role.READER).compose(group -> groups.members(group.id()))
                .map(members -> {
                    JsonArray list = new JsonArray();
                    members.forEach(member -> list.add(json(member)));
                    return Reply.ok(list);
                });
    }

    private Future<Reply> put(RoutingContext ctx) {
        Fields fields = Fields.of(ctx, "role");
        String roleName = fields.string("role", true, 20);
        Role role = roleName == null ? null : Role.parse(roleName).orElse(null);
        if (roleName != null && role == null) {
            fields.error("role", "must be reader, maintainer or owner");
        }
        fields.check();
        String username = ctx.pathParam("username");
        return access.group(ctx, Role.OWNER).compose(group -> groups.putMember(group.id(), username, role))
                .map(member -> Reply.ok(json(member.orElseThrow(
                        () -> VregException.notFound("user " + username + " does not exist")))))
                .onSuccess(r -> authChanged.run());
    }

    private Future<Reply> delete(RoutingContext ctx) {
        String username = ctx.pathParam("username");
        return access.group(ctx, Role.OWNER).compose(group -> groups.removeMember(group.id(), username)
                        .map(removed -> {
                            if (!removed) {
                                throw VregException.notFound(username + " is not a member of " + group.name());
                            }
                            return Reply.noContent();
                        }))
                .onSuccess(r -> authChanged.run());
    }

    private static JsonObject json(GroupStore.Member member) {
        return new JsonObject().put("username", member.username()).put("role", member.role().id())
                .put("createdAt", member.createdAt() == null ? null : member.createdAt().toString());
    }
}
