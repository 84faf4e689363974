package dev.vreg.host.api;

import dev.vreg.spi.VregException;

import dev.vreg.host.identity.Principal;
import dev.vreg.host.identity.Role;
import dev.vreg.host.identity.Scope;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/**
 * Authorisation for group resources. Roles are read from the database on every call (not from the token cache), so
 * a membership change applies to the very next call. A caller with no role in a group is told it does not exist,
 * exactly as for a group that does not, so group names do not leak.
 */
public final class Access {

    private final Pool pool;

    public Access(Pool pool) {
        this.pool = pool;
    }

    /** The group named in the path, if the caller has at least {@code needed} there and a fitting token scope. */
    public Future<GroupRef> group(RoutingContext ctx, Role needed) {
        Principal caller = ApiAuthHandler.principal(ctx);
        String name = ctx.pathParam("group");
        Scope scope = ctx.request().method() == HttpMethod.GET ? Scope.READ : Scope.WRITE;
        return pool.preparedQuery("""
                        SELECT g.id, m.role FROM groups g
                          LEFT JOIN memberships m ON m.group_id = g.id AND m.user_id = $2
                         WHERE g.name = $1""")
                .execute(Tuple.of(name, caller.userId()))
                .map(rows -> {
                    Row row = rows.size() == 0 ? null : rows.iterator().next();
                    Optional<Role> role = row == null ? Optional.empty()
                            : caller.admin() ? Optional.of(Role.OWNER) : Role.parse(row.getString("role"));
                    if (role.isEmpty()) {
                        throw VregException.notFound("group " + name + " does not exist");
                    }
                    if (!role.get().includes(needed)) {
                        throw VregException.forbidden("this needs the " + needed.id() + " role in group " + name);
                    }
                    requireScope(caller, scope);
                    return new GroupRef(row.getLong("id"), name, role.get());
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
