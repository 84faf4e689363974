package dev.vreg.host.policy;

import dev.vreg.host.db.Notify;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The one writer of {@code registry_filters} and {@code group_filters}; a change tells every node
 * ({@link Notify#config}).
 */
public final class FilterStore {

    private final Pool pool;

    public FilterStore(Pool pool) {
        this.pool = pool;
    }

    /** The registry's rules, {@link FilterSet#NONE} when it has none. */
    public Future<FilterSet> filters(long registryId) {
        return pool.preparedQuery("SELECT mode, rules FROM registry_filters WHERE registry_id = $1")
                .execute(Tuple.of(registryId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return FilterSet.NONE;
                    }
                    Row row = rows.iterator().next();
                    return set(row.getString("mode"), row.getValue("rules"));
                });
    }

    /** The group's rules, {@link FilterSet#NONE} when it has none. */
    public Future<FilterSet> groupFilters(long groupId) {
        return pool.preparedQuery("SELECT mode, rules FROM group_filters WHERE group_id = $1")
                .execute(Tuple.of(groupId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return FilterSet.NONE;
                    }
                    Row row = rows.iterator().next();
                    return set(row.getString("mode"), row.getValue("rules"));
                });
    }

    /** The rules a registry's requests meet: its group's and its own, read together. */
    public Future<FilterChain> chain(long registryId) {
        return pool.preparedQuery("""
                        SELECT gf.mode AS group_mode, gf.rules AS group_rules, rf.mode, rf.rules
                        FROM registries r
                        LEFT JOIN group_filters gf ON gf.group_id = r.group_id
                        LEFT JOIN registry_filters rf ON rf.registry_id = r.id
                        WHERE r.id = $1""")
                .execute(Tuple.of(registryId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return FilterChain.NONE;
                    }
                    Row row = rows.iterator().next();
                    return new FilterChain(set(row.getString("group_mode"), row.getValue("group_rules")),
                            set(row.getString("mode"), row.getValue("rules")));
                });
    }

    private static FilterSet set(String mode, Object rulesValue) {
        if (mode == null) {
            return FilterSet.NONE;
        }
        JsonArray array = (JsonArray) rulesValue;
        List<FilterRule> rules = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            rules.add(FilterRule.fromJson(array.getJsonObject(i)));
        }
        return new FilterSet(FilterSet.Mode.of(mode), rules);
    }

    public Future<Void> saveGroup(long groupId, FilterSet filters) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        INSERT INTO group_filters (group_id, mode, rules) VALUES ($1, $2, $3)
                        ON CONFLICT (group_id) DO UPDATE SET mode = EXCLUDED.mode, rules = EXCLUDED.rules,
                            updated_at = now()""")
                .execute(Tuple.of(groupId, filters.mode().id(), filters.json().getJsonArray("rules")))
                .compose(v -> Notify.config(conn)))
                .mapEmpty();
    }

    public Future<Void> save(long registryId, FilterSet filters) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        INSERT INTO registry_filters (registry_id, mode, rules) VALUES ($1, $2, $3)
                        ON CONFLICT (registry_id) DO UPDATE SET mode = EXCLUDED.mode, rules = EXCLUDED.rules,
                            updated_at = now()""")
                .execute(Tuple.of(registryId, filters.mode().id(), filters.json().getJsonArray("rules")))
                .compose(v -> Notify.config(conn)))
                .mapEmpty();
    }
}
