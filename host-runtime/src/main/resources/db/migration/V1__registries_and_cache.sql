-- Tenants, registries, shared upstreams and the cache of what upstreams served.

CREATE TABLE groups (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9]([a-z0-9._-]{0,62}[a-z0-9])?$'),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE registries (
    id               BIGSERIAL PRIMARY KEY,
    group_id         BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    name             TEXT NOT NULL CHECK (name ~ '^[a-z0-9]([a-z0-9._-]{0,62}[a-z0-9])?$'),
    format           TEXT NOT NULL,
    description      TEXT,
    public           BOOLEAN NOT NULL DEFAULT FALSE,
    -- Counter cache of registry_upstreams rows, kept in the same transaction as the links.
    upstreams_count  INTEGER NOT NULL DEFAULT 0 CHECK (upstreams_count >= 0),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (group_id, name)
);

CREATE TABLE upstreams (
    id                   BIGSERIAL PRIMARY KEY,
    group_id             BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    name                 TEXT NOT NULL,
    kind                 TEXT NOT NULL,
    url                  TEXT NOT NULL,
    -- Encrypted with the host key; never returned by the API.
    credentials          BYTEA,
    -- A keyed digest of the plaintext credentials, so duplicates can be found without decrypting.
    credentials_digest   TEXT NOT NULL DEFAULT '',
    settings             JSONB NOT NULL DEFAULT '{}'::jsonb,
    -- NULL content validity: cached content never expires.
    content_validity_s   BIGINT CHECK (content_validity_s > 0),
    metadata_validity_s  BIGINT CHECK (metadata_validity_s >= 0),
    module_hints         TEXT[] NOT NULL DEFAULT '{}',
    status               JSONB,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (group_id, url, credentials_digest)
);

CREATE TABLE registry_upstreams (
    registry_id  BIGINT NOT NULL REFERENCES registries (id) ON DELETE CASCADE,
    upstream_id  BIGINT NOT NULL REFERENCES upstreams (id) ON DELETE RESTRICT,
    position     INTEGER NOT NULL CHECK (position > 0),
    PRIMARY KEY (registry_id, upstream_id),
    -- Deferred so a reorder can shift positions within one transaction.
    CONSTRAINT registry_upstreams_position_unique UNIQUE (registry_id, position) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX registry_upstreams_upstream ON registry_upstreams (upstream_id);

-- Immutable bytes in the blob store, addressed by sha256.
CREATE TABLE blobs (
    digest      TEXT PRIMARY KEY CHECK (digest ~ '^[0-9a-f]{64}$'),
    size        BIGINT NOT NULL CHECK (size >= 0),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One file fetched from one upstream. CONTENT points at a blob; METADATA is small and kept inline;
-- a NOT_FOUND row remembers that the upstream did not have the path.
CREATE TABLE cache_entries (
    id                  BIGSERIAL PRIMARY KEY,
    upstream_id         BIGINT NOT NULL REFERENCES upstreams (id) ON DELETE CASCADE,
    path                TEXT NOT NULL,
    kind                TEXT NOT NULL CHECK (kind IN ('CONTENT', 'METADATA', 'NOT_FOUND')),
    artifact_name       TEXT NOT NULL,
    artifact_version    TEXT,
    file                TEXT NOT NULL,
    blob_digest         TEXT REFERENCES blobs (digest),
    body                BYTEA,
    size                BIGINT NOT NULL DEFAULT 0,
    content_type        TEXT,
    upstream_etag       TEXT,
    attributes          JSONB NOT NULL DEFAULT '{}'::jsonb,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    checked_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    downloads_count     BIGINT NOT NULL DEFAULT 0,
    last_downloaded_at  TIMESTAMPTZ,
    UNIQUE (upstream_id, path),
    CHECK (kind <> 'CONTENT' OR blob_digest IS NOT NULL),
    CHECK (kind <> 'METADATA' OR body IS NOT NULL)
);
CREATE INDEX cache_entries_name ON cache_entries (upstream_id, artifact_name text_pattern_ops);
CREATE INDEX cache_entries_blob ON cache_entries (blob_digest);

-- Facts about this installation, e.g. whether first-start bootstrapping has happened.
CREATE TABLE instance_settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
