-- Collection of blobs no cache entry references. A fetch pins the blob it is about to store (pins + 1, valid until
-- pinned_until) before the bytes go to the store, and its commit transaction takes the pin back while it records the
-- entry; the collector deletes only unpinned (or expired) unreferenced blobs, holding their rows locked while it
-- deletes the bytes. Existing blobs start unpinned: those no entry references are collected by the first run.
ALTER TABLE blobs ADD COLUMN pins INTEGER NOT NULL DEFAULT 0 CHECK (pins >= 0);
ALTER TABLE blobs ADD COLUMN pinned_until TIMESTAMPTZ;

-- One row per collection: what started it and what it reclaimed.
CREATE TABLE blob_collections (
    id                  BIGSERIAL PRIMARY KEY,
    trigger             TEXT NOT NULL CHECK (trigger IN ('scheduled', 'deletion', 'manual')),
    started_at          TIMESTAMPTZ NOT NULL,
    finished_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    blobs_deleted       INTEGER NOT NULL DEFAULT 0,
    bytes_reclaimed     BIGINT NOT NULL DEFAULT 0,
    orphans_adopted     INTEGER NOT NULL DEFAULT 0,
    temporary_files     INTEGER NOT NULL DEFAULT 0,
    temporary_bytes     BIGINT NOT NULL DEFAULT 0,
    multipart_uploads   INTEGER NOT NULL DEFAULT 0,
    error               TEXT
);
CREATE INDEX blob_collections_finished ON blob_collections (finished_at DESC);
