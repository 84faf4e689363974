package dev.vreg.host.policy;

import dev.vreg.host.db.Notify;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** The one writer of {@code registry_filters}; a change tells every node ({@link Notify#config}). */
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
                    JsonArray array = (JsonArray) row.getValue("rules");
                    List<FilterRule> rules = new ArrayList<>();
                    for (int i = 0; i < array.size(); i++) {
                        rules.add(FilterRule.fromJson(array.getJsonObject(i)));
                    }
                    return new FilterSet(FilterSet.Mode.of(row.getString("mode")), rules);
                });
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
