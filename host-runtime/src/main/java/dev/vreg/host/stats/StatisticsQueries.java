package dev.vreg.host.stats;

import dev.vreg.host.db.Rows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;

/** Reads the statistics rows back as the API answers them: totals, a series per bucket and breakdowns. */
public final class StatisticsQueries {

    /** What a question covers: the rows of {@code period} whose bucket starts in [{@code from}, {@code to}). */
    public record Range(Period period, Instant from, Instant to) {

        Tuple with(long id) {
            return Tuple.of(period.id(), id, StatisticsWrites.time(from), StatisticsWrites.time(to));
        }

        JsonObject json() {
            return new JsonObject().put("interval", period.id()).put("from", from.toString()).put("to", to.toString());
        }
    }

    private static final int TOP_MODULES = 10;
    private static final String USAGE_SUMS = """
            COALESCE(sum(requests), 0) AS requests, COALESCE(sum(hits), 0) AS hits,
            COALESCE(sum(fetches), 0) AS fetches, COALESCE(sum(not_found), 0) AS not_found,
            COALESCE(sum(errors), 0) AS errors, COALESCE(sum(bytes_served), 0) AS bytes_served,
            COALESCE(sum(blocked), 0) AS blocked""";
    private static final String IN_RANGE = " period = $1 AND bucket >= $3 AND bucket < $4";

    private final Pool pool;

    public StatisticsQueries(Pool pool) {
        this.pool = pool;
    }

    /** A registry's statistics over {@code range}. */
    public Future<JsonObject> registry(long registryId, Range range) {
        Tuple args = range.with(registryId);
        String where = " FROM usage_stats WHERE registry_id = $2 AND" + IN_RANGE;
        return pool.withConnection(conn -> {
            JsonObject answer = range.json();
            return conn.preparedQuery("SELECT " + USAGE_SUMS + where).execute(args)
                    .map(rows -> answer.put("totals", usage(rows.iterator().next(), true)))
                    .compose(v -> conn.preparedQuery("SELECT file_kind, " + USAGE_SUMS + where
                            + " GROUP BY file_kind ORDER BY file_kind").execute(args))
                    .map(rows -> {
                        JsonObject kinds = new JsonObject();
                        rows.forEach(row -> kinds.put(row.getString("file_kind"), usage(row, true)));
                        return answer.put("byFileKind", kinds);
                    })
                    .compose(v -> conn.preparedQuery("SELECT module, " + USAGE_SUMS + where
                            + " AND module <> '' GROUP BY module ORDER BY sum(requests) DESC, module LIMIT "
                            + TOP_MODULES).execute(args))
                    .map(rows -> {
                        JsonArray top = new JsonArray();
                        rows.forEach(row -> top.add(usage(row, false).put("module", row.getString("module"))));
                        return answer.put("topModules", top);
                    })
                    .compose(v -> series(conn, "SELECT bucket, " + USAGE_SUMS + where, args))
                    .map(series -> answer.put("series", series))
                    .compose(v -> storage(conn, registryId))
                    .map(storage -> answer.put("storage", storage));
        });
    }

    /**
     * What the cached files of a registry's upstreams take now: their sizes added up, the distinct blobs they share
     * (files with the same bytes are stored once), and the difference deduplication saves.
     */
    private static Future<JsonObject> storage(SqlConnection conn, long registryId) {
        return conn.preparedQuery("""
                        WITH files AS (
                            SELECT c.blob_digest, c.size FROM cache_entries c
                              JOIN registry_upstreams ru ON ru.upstream_id = c.upstream_id
                             WHERE ru.registry_id = $1 AND c.kind = 'CONTENT')
                        SELECT count(*) AS files, COALESCE(sum(size), 0) AS file_bytes,
                               COALESCE((SELECT sum(b.size) FROM blobs b
                                          WHERE b.digest IN (SELECT blob_digest FROM files)), 0) AS blob_bytes
                          FROM files""")
                .execute(Tuple.of(registryId))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    long files = row.getLong("file_bytes");
                    long blobs = row.getLong("blob_bytes");
                    return new JsonObject().put("files", row.getLong("files")).put("fileBytes", files)
                            .put("storedBytes", blobs).put("savedBytes", files - blobs);
                });
    }

    /** An upstream's statistics over {@code range}, with its last success and failure. */
    public Future<JsonObject> upstream(long upstreamId, Range range) {
        Tuple args = range.with(upstreamId);
        String usage = " FROM usage_stats WHERE upstream_id = $2 AND" + IN_RANGE;
        String fetches = " FROM upstream_stats WHERE upstream_id = $2 AND" + IN_RANGE;
        String fetchSums = """
                COALESCE(sum(fetches), 0) AS fetches, COALESCE(sum(not_found), 0) AS not_found,
                COALESCE(sum(errors), 0) AS errors, COALESCE(sum(bytes_fetched), 0) AS bytes_fetched,
                COALESCE(sum(latency_ms_sum), 0) AS latency_ms_sum""";
        return pool.withConnection(conn -> {
            JsonObject answer = range.json();
            JsonObject totals = new JsonObject();
            answer.put("totals", totals);
            return conn.preparedQuery("SELECT COALESCE(sum(requests), 0) AS requests, "
                            + "COALESCE(sum(hits), 0) AS hits" + usage).execute(args)
                    .map(rows -> {
                        Row row = rows.iterator().next();
                        return totals.put("requests", row.getLong("requests")).put("hits", row.getLong("hits"));
                    })
                    .compose(v -> conn.preparedQuery("SELECT " + fetchSums
                            + ", vreg_sum_counts(latency_counts) AS latency" + fetches).execute(args))
                    .map(rows -> {
                        Row row = rows.iterator().next();
                        long fetched = row.getLong("fetches");
                        totals.put("fetches", fetched).put("notFound", row.getLong("not_found"))
                                .put("errors", row.getLong("errors"))
                                .put("bytesFetched", row.getLong("bytes_fetched"));
                        long[] counts = counts(row.getArrayOfLongs("latency"));
                        return answer.put("latencyMs", new JsonObject()
                                .put("mean", fetched == 0 ? null : row.getLong("latency_ms_sum") / fetched)
                                .put("p50", UpstreamCounts.quantile(counts, 0.50))
                                .put("p95", UpstreamCounts.quantile(counts, 0.95))
                                .put("p99", UpstreamCounts.quantile(counts, 0.99)));
                    })
                    .compose(v -> conn.preparedQuery("SELECT kind, sum(errors) AS errors FROM upstream_error_stats"
                            + " WHERE upstream_id = $2 AND" + IN_RANGE + " GROUP BY kind ORDER BY kind").execute(args))
                    .map(rows -> {
                        JsonObject kinds = new JsonObject();
                        rows.forEach(row -> kinds.put(row.getString("kind"), row.getLong("errors")));
                        return answer.put("errorsByKind", kinds);
                    })
                    .compose(v -> conn.preparedQuery("SELECT * FROM upstream_health WHERE upstream_id = $1")
                            .execute(Tuple.of(upstreamId)))
                    .map(rows -> {
                        Row row = rows.iterator().hasNext() ? rows.iterator().next() : null;
                        answer.put("lastSuccessAt", row == null ? null : text(Rows.instant(row, "last_success_at")));
                        answer.put("lastFailureAt", row == null ? null : text(Rows.instant(row, "last_failure_at")));
                        answer.put("lastFailure", row == null || row.getString("last_failure_kind") == null ? null
                                : new JsonObject().put("kind", row.getString("last_failure_kind"))
                                        .put("message", row.getString("last_failure_message")));
                        return answer;
                    })
                    .compose(v -> conn.preparedQuery("""
                            SELECT COALESCE(f.bucket, u.bucket) AS bucket, COALESCE(u.requests, 0) AS requests,
                                   COALESCE(u.hits, 0) AS hits, COALESCE(f.fetches, 0) AS fetches,
                                   COALESCE(f.not_found, 0) AS not_found, COALESCE(f.errors, 0) AS errors,
                                   COALESCE(f.bytes_fetched, 0) AS bytes_fetched
                              FROM (SELECT bucket, sum(requests) AS requests, sum(hits) AS hits""" + usage + """
                             \sGROUP BY bucket) u
                              FULL JOIN (SELECT bucket, fetches, not_found, errors, bytes_fetched""" + fetches + """
                            \s) f ON f.bucket = u.bucket
                             ORDER BY 1""").execute(args))
                    .map(rows -> {
                        JsonArray series = new JsonArray();
                        rows.forEach(row -> series.add(new JsonObject()
                                .put("bucket", text(Rows.instant(row, "bucket")))
                                .put("requests", row.getLong("requests")).put("hits", row.getLong("hits"))
                                .put("fetches", row.getLong("fetches")).put("notFound", row.getLong("not_found"))
                                .put("errors", row.getLong("errors"))
                                .put("bytesFetched", row.getLong("bytes_fetched"))));
                        return answer.put("series", series);
                    });
        });
    }

    private static Future<JsonArray> series(SqlConnection conn, String query, Tuple args) {
        return conn.preparedQuery(query + " GROUP BY bucket ORDER BY bucket").execute(args).map(rows -> {
            JsonArray series = new JsonArray();
            rows.forEach(row -> series.add(usage(row, false).put("bucket", text(Rows.instant(row, "bucket")))));
            return series;
        });
    }

    private static JsonObject usage(Row row, boolean withRatio) {
        long hits = row.getLong("hits");
        long fetches = row.getLong("fetches");
        JsonObject json = new JsonObject().put("requests", row.getLong("requests")).put("hits", hits)
                .put("fetches", fetches).put("notFound", row.getLong("not_found")).put("errors", row.getLong("errors"))
                .put("bytesServed", row.getLong("bytes_served")).put("blocked", row.getLong("blocked"));
        if (withRatio) {
            json.put("hitRatio", hits + fetches == 0 ? null : (double) hits / (hits + fetches));
        }
        return json;
    }

    private static long[] counts(Long[] values) {
        long[] counts = new long[UpstreamCounts.LATENCY_BOUNDS_MS.length + 1];
        if (values != null) {
            for (int i = 0; i < Math.min(values.length, counts.length); i++) {
                counts[i] = values[i] == null ? 0 : values[i];
            }
        }
        return counts;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
