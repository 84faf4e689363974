package dev.vreg.host.admin;

import dev.vreg.host.auth.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/** {@code /users} (the instance admin's) and {@code /user} (whoever is calling). */
final class UsersHandler {

    private final Pool pool;

    UsersHandler(Pool pool) {
        this.pool = pool;
    }

    void mount(ApiContract.Binder binder) {
        binder.bind("createUser", Endpoint.of(this::create));
        binder.bind("listUsers", Endpoint.of(this::list));
        binder.bind("getCurrentUser", Endpoint.of(this::me));
    }

    private Future<Reply> create(RoutingContext ctx) {
        Access.requireAdmin(ApiAuthHandler.principal(ctx));
        Fields fields = Fields.of(ctx, "username", "email", "admin");
        String username = fields.name("username", true);
        String email = fields.string("email", false, 254);
        Boolean admin = fields.bool("admin");
        fields.check();
        return pool.preparedQuery("""
                        INSERT INTO users (username, email, admin) VALUES ($1, $2, $3)
                        ON CONFLICT (username) DO NOTHING RETURNING username, email, admin, created_at""")
                .execute(Tuple.of(username, email, admin != null && admin))
                .map(rows -> {
                    Row row = Sql.first(rows);
                    if (row == null) {
                        throw ApiException.conflict("user " + username + " already exists");
                    }
                    return Reply.created(json(row));
                });
    }

    private Future<Reply> list(RoutingContext ctx) {
        Access.requireAdmin(ApiAuthHandler.principal(ctx));
        return pool.query("SELECT username, email, admin, created_at FROM users ORDER BY username").execute()
                .map(rows -> {
                    JsonArray list = new JsonArray();
                    rows.forEach(row -> list.add(json(row)));
                    return Reply.ok(list);
                });
    }

    private Future<Reply> me(RoutingContext ctx) {
        Principal caller = ApiAuthHandler.principal(ctx);
        return pool.preparedQuery("SELECT username, email, admin, created_at FROM users WHERE id = $1")
                .execute(Tuple.of(caller.userId()))
                .map(rows -> Reply.ok(json(Sql.first(rows))));
    }

    static JsonObject json(Row row) {
        return new JsonObject().put("username", row.getString("username")).put("email", row.getString("email"))
                .put("admin", row.getBoolean("admin")).put("createdAt", Sql.time(row, "created_at"));
    }
}
