-- Pull statistics: bytes served per cache entry, and usage as hourly and daily rows written in batches by every node
-- (each batch one statement that adds to the rows, so nodes sharing the database never lose an increment).

ALTER TABLE cache_entries ADD COLUMN bytes_served BIGINT NOT NULL DEFAULT 0 CHECK (bytes_served >= 0);

-- Element-wise sum of two count arrays (latency histograms); the shorter one counts as zeros.
CREATE FUNCTION vreg_add_counts(a BIGINT[], b BIGINT[]) RETURNS BIGINT[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT COALESCE(array_agg(COALESCE(x, 0) + COALESCE(y, 0) ORDER BY i), '{}')
     FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i) $$;

CREATE AGGREGATE vreg_sum_counts(BIGINT[]) (SFUNC = vreg_add_counts, STYPE = BIGINT[], INITCOND = '{}');

-- Requests to a registry's package endpoints per module and file kind. upstream_id is the upstream whose copy
-- answered (0: none, e.g. merged metadata or a failure).
CREATE TABLE usage_stats (
    period        TEXT NOT NULL CHECK (period IN ('hour', 'day')),
    bucket        TIMESTAMPTZ NOT NULL,
    registry_id   BIGINT NOT NULL REFERENCES registries (id) ON DELETE CASCADE,
    upstream_id   BIGINT NOT NULL,
    module        TEXT NOT NULL,
    file_kind     TEXT NOT NULL,
    requests      BIGINT NOT NULL DEFAULT 0,
    hits          BIGINT NOT NULL DEFAULT 0,
    fetches       BIGINT NOT NULL DEFAULT 0,
    not_found     BIGINT NOT NULL DEFAULT 0,
    errors        BIGINT NOT NULL DEFAULT 0,
    bytes_served  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (period, registry_id, bucket, upstream_id, module, file_kind)
);
CREATE INDEX usage_stats_upstream ON usage_stats (period, upstream_id, bucket);
CREATE INDEX usage_stats_bucket ON usage_stats (period, bucket);

-- What vreg asked of each upstream: fetches and their answers, bytes received and a latency histogram (counts per
-- bucket of upstream_stats_bounds, the last one unbounded).
CREATE TABLE upstream_stats (
    period          TEXT NOT NULL CHECK (period IN ('hour', 'day')),
    bucket          TIMESTAMPTZ NOT NULL,
    upstream_id     BIGINT NOT NULL REFERENCES upstreams (id) ON DELETE CASCADE,
    fetches         BIGINT NOT NULL DEFAULT 0,
    not_found       BIGINT NOT NULL DEFAULT 0,
    errors          BIGINT NOT NULL DEFAULT 0,
    bytes_fetched   BIGINT NOT NULL DEFAULT 0,
    latency_ms_sum  BIGINT NOT NULL DEFAULT 0,
    latency_counts  BIGINT[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (period, upstream_id, bucket)
);
CREATE INDEX upstream_stats_bucket ON upstream_stats (period, bucket);

CREATE TABLE upstream_error_stats (
    period       TEXT NOT NULL CHECK (period IN ('hour', 'day')),
    bucket       TIMESTAMPTZ NOT NULL,
    upstream_id  BIGINT NOT NULL REFERENCES upstreams (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    errors       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (period, upstream_id, bucket, kind)
);
CREATE INDEX upstream_error_stats_bucket ON upstream_error_stats (period, bucket);

-- The last answer of each upstream, success or failure, with the failure's message.
CREATE TABLE upstream_health (
    upstream_id           BIGINT PRIMARY KEY REFERENCES upstreams (id) ON DELETE CASCADE,
    last_success_at       TIMESTAMPTZ,
    last_failure_at       TIMESTAMPTZ,
    last_failure_kind     TEXT,
    last_failure_message  TEXT
);
