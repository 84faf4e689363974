-- Checksum databases passed through Go registries, and what vreg verified against them.

-- A registry's checksum database settings; a registry without a row uses the defaults (sum.golang.org, no
-- verification, no private patterns).
CREATE TABLE registry_checksum_settings (
    registry_id              BIGINT PRIMARY KEY REFERENCES registries (id) ON DELETE CASCADE,
    verification             TEXT NOT NULL CHECK (verification IN ('off', 'warn', 'enforce')),
    -- [{"key": "<name>+<hash>+<key>", "url": "https://..." | null}], the first one verifies.
    databases                JSONB NOT NULL CHECK (jsonb_typeof(databases) = 'array'),
    private_patterns         TEXT[] NOT NULL DEFAULT '{}',
    answer_validity_seconds  INTEGER NOT NULL CHECK (answer_validity_seconds >= 0),
    updated_at               TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Full tiles never change: their bytes are a blob, kept for good and shared by every registry reaching the
-- database (identified by its verifier key, so two databases of one name never mix).
CREATE TABLE checksum_db_tiles (
    database_key  TEXT NOT NULL,
    path          TEXT NOT NULL,
    blob_digest   TEXT NOT NULL CHECK (blob_digest ~ '^[0-9a-f]{64}$'),
    size          BIGINT NOT NULL CHECK (size >= 0),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (database_key, path)
);

-- Answers that change (the latest tree, partial tiles, lookups carrying a tree): kept briefly, and served stale
-- while the database cannot be reached.
CREATE TABLE checksum_db_answers (
    database_key  TEXT NOT NULL,
    path          TEXT NOT NULL,
    body          BYTEA NOT NULL,
    content_type  TEXT NOT NULL,
    fetched_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (database_key, path)
);

-- The largest tree vreg has verified of each database; a later tree must extend it.
CREATE TABLE checksum_db_trees (
    database_key  TEXT PRIMARY KEY,
    size          BIGINT NOT NULL CHECK (size >= 0),
    tree          TEXT NOT NULL,
    verified_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Trees refused because they do not extend the verified one: evidence that the database forked its log.
CREATE TABLE checksum_db_forks (
    id            BIGSERIAL PRIMARY KEY,
    database_key  TEXT NOT NULL,
    artifact      TEXT NOT NULL,
    detail        TEXT NOT NULL,
    found_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
