package dev.vreg.host.stats;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Writes batches of statistics. Each batch is one statement that adds to the rows (inserting those not there yet),
 * so a failed batch wrote nothing and is written again whole, and nodes writing the same rows at once each add their
 * own part. Rows of registries or upstreams deleted meanwhile are left out rather than failing the batch.
 */
final class StatisticsWrites {

    private final Pool pool;

    StatisticsWrites(Pool pool) {
        this.pool = pool;
    }

    Future<Void> usage(Map<UsageKey, UsageCounts> batch) {
        List<Map.Entry<UsageKey, UsageCounts>> rows = List.copyOf(batch.entrySet());
        return pool.preparedQuery("""
                        INSERT INTO usage_stats AS t (period, bucket, registry_id, upstream_id, module, file_kind,
                                                      requests, hits, fetches, not_found, errors, bytes_served,
                                                      blocked)
                        SELECT u.* FROM unnest($1::text[], $2::timestamptz[], $3::bigint[], $4::bigint[], $5::text[],
                                               $6::text[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[],
                                               $11::bigint[], $12::bigint[], $13::bigint[])
                               AS u(period, bucket, registry_id, upstream_id, module, file_kind, requests, hits,
                                    fetches, not_found, errors, bytes_served, blocked)
                         WHERE EXISTS (SELECT 1 FROM registries r WHERE r.id = u.registry_id)
                        ON CONFLICT (period, registry_id, bucket, upstream_id, module, file_kind) DO UPDATE SET
                            requests = t.requests + EXCLUDED.requests, hits = t.hits + EXCLUDED.hits,
                            fetches = t.fetches + EXCLUDED.fetches, not_found = t.not_found + EXCLUDED.not_found,
                            errors = t.errors + EXCLUDED.errors,
                            bytes_served = t.bytes_served + EXCLUDED.bytes_served,
                            blocked = t.blocked + EXCLUDED.blocked
                        """)
                .execute(Tuple.tuple()
                        .addValue(rows.stream().map(e -> e.getKey().period().id()).toArray(String[]::new))
                        .addValue(rows.stream().map(e -> time(e.getKey().bucket())).toArray(OffsetDateTime[]::new))
                        .addValue(rows.stream().map(e -> e.getKey().registryId()).toArray(Long[]::new))
                        .addValue(rows.stream().map(e -> e.getKey().upstreamId()).toArray(Long[]::new))
                        .addValue(rows.stream().map(e -> e.getKey().module()).toArray(String[]::new))
                        .addValue(rows.stream().map(e -> e.getKey().fileKind()).toArray(String[]::new))
                        .addValue(rows.stream().map(e -> e.getValue().requests()).toArray(Long[]::new))
                        .addValue(rows.stream().map(e -> e.getValue().hits()).toArray(Long[]::new))
                        .addValue(rows.stream().map(e -> e.getValue().fetches()).toArray(Long[]::new))
                        .addValue(rows.stream().map(e -> e.getValue().notFound()).toArray(Long[]::new))
                        .addValue(rows.stream().map(e -> e.getValue().errors()).toArray(Long[]::new))
                        .addValue(rows.stream().map(e -> e.getValue().bytesServed()).toArray(Long[]::new))
                        .addValue(rows.stream().map(e -> e.getValue().blocked()).toArray(Long[]::new)))
                .mapEmpty();
    }

    Future<Void> upstreams(Map<UpstreamKey, UpstreamCounts> batch) {
        List<Map.Entry<UpstreamKey, UpstreamCounts>> rows = List.copyOf(batch.entrySet());
        return pool.preparedQuery("""
                        INSERT INTO upstream_stats AS t (period, bucket, upstream_id, fetches, not_found, errors,
                                                         bytes_fetched, latency_ms_sum, latency_counts)
                        SELECT u.period, u.bucket, u.upstream_id, u.fetches, u.not_found, u.errors, u.bytes_fetched,
                               u.latency_ms_sum, u.latency_counts::bigint[]
                          FROM unnest($1::text[], $2::timestamptz[], $3::bigint[], $4::bigint[], $5::bigint[],
                                      $6::bigint[], $7::bigint[], $8::bigint[], $9::text[])
                               AS u(period, bucket, upstream_id, fetches, not_found, errors, bytes_fetched,
                                    latency_ms_sum, latency_counts)
                         WHERE EXISTS (SELECT 1 FROM upstreams x WHERE x.id = u.upstream_id)
                        ON CONFLICT (period, upstream_id, bucket) DO UPDATE SET
                            fetches = t.fetches + EXCLUDED.fetches, not_found = t.not_found + EXCLUDED.not_found,
                            errors = t.errors + EXCLUDED.errors,
                            bytes_fetched = t.bytes_fetched + EXCLUDED.bytes_fetched,
                            latency_ms_sum = t.latency_ms_sum + EXCLUDED.latency_ms_sum,
                            latency_counts = vreg_add_counts(t.latency_counts, EXCLUDED.latency_counts)
                        """)
                .execute(Tuple.tuple()
                        .addValue(rows.stream().map(e -> e.getKey().period().id()).toArray(String[]::new))
                        .addValue(rows.stream().map(e -> time(e.getKey().bucket())).toArray(OffsetDateTime[]::new))
                        .addValue(rows.stream().map(e -> e.getKey().upstreamId()).toArray(Long[]::new))
                        .addValue(rows.stream().map(e -> e.getValue().fetches).toArray(Long[]::new))
                        .addValue(rows.stream().map(e -> e.getValue().notFound).toArray(Long[]::new))
                        .addValue(rows.stream().map(e -> e.getValue().errors).toArray(Long[]::new))
                        .addValue(rows.stream().map(e -> e.getValue().bytesFetched).toArray(Long[]::new))
                        .addValue(rows.stream().map(e -> e.getValue().latencyMsSum).toArray(Long[]::new))
                        .addValue(rows.stream().map(e -> e.getValue().latencyLiteral()).toArray(String[]::new)))
                .mapEmpty();
    }

    Future<Void> errors(Map<ErrorKey, Long> batch) {
        List<Map.Entry<ErrorKey, Long>> rows = List.copyOf(batch.entrySet());
        return pool.preparedQuery("""
                        INSERT INTO upstream_error_stats AS t (period, bucket, upstream_id, kind, errors)
                        SELECT u.* FROM unnest($1::text[], $2::timestamptz[], $3::bigint[], $4::text[], $5::bigint[])
                               AS u(period, bucket, upstream_id, kind, errors)
                         WHERE EXISTS (SELECT 1 FROM upstreams x WHERE x.id = u.upstream_id)
                        ON CONFLICT (period, upstream_id, bucket, kind) DO UPDATE SET errors = t.errors + EXCLUDED.errors
                        """)
                .execute(Tuple.tuple()
                        .addValue(rows.stream().map(e -> e.getKey().period().id()).toArray(String[]::new))
                        .addValue(rows.stream().map(e -> time(e.getKey().bucket())).toArray(OffsetDateTime[]::new))
                        .addValue(rows.stream().map(e -> e.getKey().upstreamId()).toArray(Long[]::new))
                        .addValue(rows.stream().map(e -> e.getKey().kind()).toArray(String[]::new))
                        .addValue(rows.stream().map(Map.Entry::getValue).toArray(Long[]::new)))
                .mapEmpty();
    }

    Future<Void> health(Map<Long, Health> batch) {
        List<Map.Entry<Long, Health>> rows = List.copyOf(batch.entrySet());
        return pool.preparedQuery("""
                        INSERT INTO upstream_health AS t (upstream_id, last_success_at, last_failure_at,
                                                          last_failure_kind, last_failure_message)
                        SELECT u.* FROM unnest($1::bigint[], $2::timestamptz[], $3::timestamptz[], $4::text[],
                                               $5::text[])
                               AS u(upstream_id, last_success_at, last_failure_at, kind, message)
                         WHERE EXISTS (SELECT 1 FROM upstreams x WHERE x.id = u.upstream_id)
                        ON CONFLICT (upstream_id) DO UPDATE SET
                            last_success_at = GREATEST(t.last_success_at, EXCLUDED.last_success_at),
                            last_failure_at = GREATEST(t.last_failure_at, EXCLUDED.last_failure_at),
                            last_failure_kind = CASE WHEN EXCLUDED.last_failure_at >= t.last_failure_at
                                OR t.last_failure_at IS NULL THEN COALESCE(EXCLUDED.last_failure_kind,
                                t.last_failure_kind) ELSE t.last_failure_kind END,
                            last_failure_message = CASE WHEN EXCLUDED.last_failure_at >= t.last_failure_at
                                OR t.last_failure_at IS NULL THEN COALESCE(EXCLUDED.last_failure_message,
                                t.last_failure_message) ELSE t.last_failure_message END
                        """)
                .execute(Tuple.tuple()
                        .addValue(rows.stream().map(Map.Entry::getKey).toArray(Long[]::new))
                        .addValue(rows.stream().map(e -> time(e.getValue().lastSuccess()))
                                .toArray(OffsetDateTime[]::new))
                        .addValue(rows.stream().map(e -> time(e.getValue().lastFailure()))
                                .toArray(OffsetDateTime[]::new))
                        .addValue(rows.stream().map(e -> e.getValue().failureKind()).toArray(String[]::new))
                        .addValue(rows.stream().map(e -> e.getValue().failureMessage()).toArray(String[]::new)))
                .mapEmpty();
    }

    /** Deletes hourly rows older than {@code hourly} and daily rows older than {@code daily}; answers how many. */
    Future<Integer> expire(Instant now, Duration hourly, Duration daily) {
        Tuple cutoffs = Tuple.of(time(Period.HOUR.bucket(now.minus(hourly))), time(Period.DAY.bucket(now.minus(daily))));
        return pool.withTransaction(conn -> {
            Future<Integer> deleted = Future.succeededFuture(0);
            for (String table : List.of("usage_stats", "upstream_stats", "upstream_error_stats")) {
                deleted = deleted.compose(sum -> conn.preparedQuery("DELETE FROM " + table
                                + " WHERE (period = 'hour' AND bucket < $1) OR (period = 'day' AND bucket < $2)")
                        .execute(cutoffs).map(rows -> sum + rows.rowCount()));
            }
            return deleted;
        });
    }

    static OffsetDateTime time(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
