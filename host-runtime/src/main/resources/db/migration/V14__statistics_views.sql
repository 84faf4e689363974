-- Views for BI tools (docs/statistics.md): what a read-only role may query. They run with their owner's rights, so
-- such a role needs SELECT on them alone, never on the tables (which hold credentials).
CREATE VIEW vreg_usage_daily AS
SELECT u.bucket AS time, (u.bucket AT TIME ZONE 'UTC')::date AS day, g.name AS group_name, r.name AS registry,
       r.format, COALESCE(up.name, '') AS upstream, u.module, u.file_kind, u.requests, u.hits, u.fetches,
       u.not_found, u.errors, u.bytes_served
  FROM usage_stats u
  JOIN registries r ON r.id = u.registry_id
  JOIN groups g ON g.id = r.group_id
  LEFT JOIN upstreams up ON up.id = u.upstream_id
 WHERE u.period = 'day';

CREATE VIEW vreg_usage_hourly AS
SELECT u.bucket AS time, (u.bucket AT TIME ZONE 'UTC')::date AS day, g.name AS group_name, r.name AS registry,
       r.format, COALESCE(up.name, '') AS upstream, u.module, u.file_kind, u.requests, u.hits, u.fetches,
       u.not_found, u.errors, u.bytes_served
  FROM usage_stats u
  JOIN registries r ON r.id = u.registry_id
  JOIN groups g ON g.id = r.group_id
  LEFT JOIN upstreams up ON up.id = u.upstream_id
 WHERE u.period = 'hour';

CREATE VIEW vreg_upstream_daily AS
SELECT s.bucket AS time, (s.bucket AT TIME ZONE 'UTC')::date AS day, g.name AS group_name, up.name AS upstream,
       up.kind, s.fetches, s.not_found, s.errors, s.bytes_fetched,
       CASE WHEN s.fetches > 0 THEN s.latency_ms_sum / s.fetches END AS mean_latency_ms
  FROM upstream_stats s
  JOIN upstreams up ON up.id = s.upstream_id
  JOIN groups g ON g.id = up.group_id
 WHERE s.period = 'day';

CREATE VIEW vreg_cache_entries AS
SELECT g.name AS group_name, up.name AS upstream, c.artifact_name AS module, c.artifact_version AS version, c.file,
       c.size, c.downloads_count, c.bytes_served, c.created_at, c.last_downloaded_at
  FROM cache_entries c
  JOIN upstreams up ON up.id = c.upstream_id
  JOIN groups g ON g.id = up.group_id
 WHERE c.kind = 'CONTENT';
