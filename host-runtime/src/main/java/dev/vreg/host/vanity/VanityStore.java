package dev.vreg.host.vanity;

import dev.vreg.host.db.Notify;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** The one writer of {@code registry_vanity_prefixes}: the vanity prefixes of each registry, in the order given. */
public final class VanityStore {

    /** A prefix and the registry that answers for it. */
    public record Claim(String prefix, String group, String registry, String format) {
    }

    private final Pool pool;

    public VanityStore(Pool pool) {
        this.pool = pool;
    }

    /** The prefixes of the group's registry, in order; fails NOT_FOUND when there is no such registry. */
    public Future<List<String>> prefixes(long groupId, String group, String registry) {
        return registryId(pool, groupId, group, registry).compose(id -> pool.preparedQuery(
                        "SELECT prefix FROM registry_vanity_prefixes WHERE registry_id = $1 ORDER BY position")
                .execute(Tuple.of(id))
                .map(rows -> {
                    List<String> prefixes = new ArrayList<>();
                    rows.forEach(row -> prefixes.add(row.getString("prefix")));
                    return prefixes;
                }));
    }

    /**
     * Replaces the registry's prefixes, telling every node; fails CONFLICT when another registry already has one
     * of them (without naming it: it may be another group's).
     */
    public Future<List<String>> replace(long groupId, String group, String registry, List<String> prefixes) {
        return pool.withTransaction(conn -> registryId(conn, groupId, group, registry).compose(id -> conn
                        .preparedQuery("DELETE FROM registry_vanity_prefixes WHERE registry_id = $1")
                        .execute(Tuple.of(id))
                        .compose(deleted -> {
                            if (prefixes.isEmpty()) {
                                return Future.succeededFuture();
                            }
                            List<Tuple> rows = new ArrayList<>();
                            for (int i = 0; i < prefixes.size(); i++) {
                                rows.add(Tuple.of(id, i + 1, prefixes.get(i)));
                            }
                            return conn.preparedQuery("INSERT INTO registry_vanity_prefixes (registry_id, position, "
                                    + "prefix) VALUES ($1, $2, $3)").executeBatch(rows).mapEmpty();
                        }))
                        .compose(v -> Notify.config(conn)))
                .recover(e -> Future.failedFuture(e instanceof PgException pg && "23505".equals(pg.getSqlState())
                        ? VregException.conflict("a vanity prefix given is already one of another registry")
                        : e))
                .map(v -> List.copyOf(prefixes));
    }

    /** Every prefix of the instance with its registry. */
    public Future<List<Claim>> all() {
        return pool.query("""
                        SELECT v.prefix, g.name AS group_name, r.name AS registry_name, r.format
                          FROM registry_vanity_prefixes v
                          JOIN registries r ON r.id = v.registry_id
                          JOIN groups g ON g.id = r.group_id""")
                .execute()
                .map(rows -> {
                    List<Claim> claims = new ArrayList<>();
                    for (Row row : rows) {
                        claims.add(new Claim(row.getString("prefix"), row.getString("group_name"),
                                row.getString("registry_name"), row.getString("format")));
                    }
                    return claims;
                });
    }

    private static Future<Long> registryId(io.vertx.sqlclient.SqlClient client, long groupId, String group,
                                           String registry) {
        return client.preparedQuery("SELECT id FROM registries WHERE group_id = $1 AND name = $2")
                .execute(Tuple.of(groupId, registry))
                .compose(rows -> rows.size() == 0
                        ? Future.failedFuture(VregException.notFound("registry " + group + "/" + registry
                                + " does not exist"))
                        : Future.succeededFuture(rows.iterator().next().getLong("id")));
    }
}
