-- Requests a registry's filter rules refused, counted in the usage rows beside the others (a blocked request is
-- also one of the row's requests), and shown by the BI views as their last column.
ALTER TABLE usage_stats ADD COLUMN blocked BIGINT NOT NULL DEFAULT 0 CHECK (blocked >= 0);

CREATE OR REPLACE VIEW vreg_usage_daily AS
SELECT u.bucket AS time, (u.bucket AT TIME ZONE 'UTC')::date AS day, g.name AS group_name, r.name AS registry,
       r.format, COALESCE(up.name, '') AS upstream, u.module, u.file_kind, u.requests, u.hits, u.fetches,
       u.not_found, u.errors, u.bytes_served, u.blocked
  FROM usage_stats u
  JOIN registries r ON r.id = u.registry_id
  JOIN groups g ON g.id = r.group_id
  LEFT JOIN upstreams up ON up.id = u.upstream_id
 WHERE u.period = 'day';

CREATE OR REPLACE VIEW vreg_usage_hourly AS
SELECT u.bucket AS time, (u.bucket AT TIME ZONE 'UTC')::date AS day, g.name AS group_name, r.name AS registry,
       r.format, COALESCE(up.name, '') AS upstream, u.module, u.file_kind, u.requests, u.hits, u.fetches,
       u.not_found, u.errors, u.bytes_served, u.blocked
  FROM usage_stats u
  JOIN registries r ON r.id = u.registry_id
  JOIN groups g ON g.id = r.group_id
  LEFT JOIN upstreams up ON up.id = u.upstream_id
 WHERE u.period = 'hour';
