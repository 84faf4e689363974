-- Scheduled jobs and lifecycle policies.

-- The last run of each scheduled job, whichever node ran it. A node runs a job only while it holds the job's
-- advisory lock (released with its session should the node die); `run` counts the runs, so a run that outlived its
-- lock cannot overwrite the record of the one that took over.
CREATE TABLE scheduled_jobs (
    name              TEXT PRIMARY KEY,
    every_seconds     BIGINT NOT NULL CHECK (every_seconds > 0),
    run               BIGINT NOT NULL DEFAULT 0,
    last_started_at   TIMESTAMPTZ,
    last_finished_at  TIMESTAMPTZ,
    last_outcome      TEXT CHECK (last_outcome IN ('running', 'succeeded', 'failed')),
    last_error        TEXT,
    last_node         TEXT
);

-- At most one policy per registry and one per upstream. A registry's policy covers the entries of every upstream
-- it links; entries are shared with the upstream's other registries, whose pulls count as well.
CREATE TABLE lifecycle_policies (
    id               BIGSERIAL PRIMARY KEY,
    group_id         BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    registry_id      BIGINT UNIQUE REFERENCES registries (id) ON DELETE CASCADE,
    upstream_id      BIGINT UNIQUE REFERENCES upstreams (id) ON DELETE CASCADE,
    unused_days      INTEGER NOT NULL CHECK (unused_days BETWEEN 1 AND 36500),
    keep_newest      INTEGER NOT NULL DEFAULT 0 CHECK (keep_newest BETWEEN 0 AND 10000),
    every_seconds    BIGINT NOT NULL CHECK (every_seconds >= 60),
    enabled          BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((registry_id IS NULL) <> (upstream_id IS NULL))
);

CREATE TABLE lifecycle_runs (
    id               BIGSERIAL PRIMARY KEY,
    policy_id        BIGINT NOT NULL REFERENCES lifecycle_policies (id) ON DELETE CASCADE,
    trigger          TEXT NOT NULL CHECK (trigger IN ('scheduled', 'manual')),
    node             TEXT NOT NULL,
    started_at       TIMESTAMPTZ NOT NULL,
    finished_at      TIMESTAMPTZ,
    outcome          TEXT NOT NULL CHECK (outcome IN ('running', 'succeeded', 'failed')),
    entries_deleted  INTEGER NOT NULL DEFAULT 0,
    bytes_deleted    BIGINT NOT NULL DEFAULT 0,
    bytes_reclaimed  BIGINT NOT NULL DEFAULT 0,
    error            TEXT
);
CREATE INDEX lifecycle_runs_by_policy ON lifecycle_runs (policy_id, id DESC);

-- Lifecycle runs look for CONTENT entries by their last use.
CREATE INDEX cache_entries_last_use ON cache_entries (upstream_id, (COALESCE(last_downloaded_at, created_at)))
    WHERE kind = 'CONTENT';
