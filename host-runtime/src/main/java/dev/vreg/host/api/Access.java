package dev.vreg.host.api;

import dev.vreg.spi.VregException;

import dev.vreg.host.identity.GroupStore;
import dev.vreg.host.identity.Principal;
import dev.vreg.host.identity.Role;
import dev.vreg.host.identity.Scope;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Authorisation for group resources. Roles are read from the database on every call (not from the token cache), so
 * a membership change applies to the very next call. A caller with no role in a group is told it does not exist,
 * exactly as for a group that does not, so group names do not leak.
 */
public final class Access {

    private final GroupStore groups;

    public Access(GroupStore groups) {
        this.groups = groups;
    }

    /** The group named in the path, if the caller has at least {@code needed} there and a fitting token scope. */
    public Future<GroupRef> group(RoutingContext ctx, Role needed) {
        return group(ctx, needed, ctx.request().method() == HttpMethod.GET ? Scope.READ : Scope.WRITE);
    }

    /** As above, with the token scope given: for a POST that only reads (a question asked with a body). */
    public Future<GroupRef> group(RoutingContext ctx, Role needed, Scope scope) {
        Principal caller = ApiAuthHandler.principal(ctx);
        String name = ctx.pathParam("group");
        return groups.find(name, caller.userId())
                .map(found -> {
                    Optional<Role> role = found.isEmpty() ? Optional.empty()
                            : caller.admin() ? Optional.of(Role.OWNER) : found.get().role();
                    if (role.isEmpty()) {
                        throw VregException.notFound("group " + name + " does not exist");
                    }
                    if (!role.get().includes(needed)) {
                        throw VregException.forbidden("this needs the " + needed.id() + " role in group " + name);
                    }
                    requireScope(caller, scope);
                    return new GroupRef(found.get().group().id(), name, role.get());
                });
    }

    public static void requireScope(Principal caller, Scope scope) {
        if (!caller.hasScope(scope)) {
            throw VregException.forbidden("this needs a token with the " + scope.id() + " scope");
        }
    }

    /** Instance-wide operations (users) are the instance admin's, with an {@code admin}-scoped token. */
    public static void requireAdmin(Principal caller) {
        if (!caller.admin()) {
            throw VregException.forbidden("only the instance admin may do this");
        }
        requireScope(caller, Scope.ADMIN);
    }
}
