-- The keys that sign console and API sessions (JWT, HS256), shared by every node. A key is encrypted with
-- security.encryptionKey when one is configured. Deleting the rows ends every session at the next start.
CREATE TABLE session_keys (
    id          TEXT PRIMARY KEY CHECK (id ~ '^[0-9a-f]{16}$'),
    secret      BYTEA NOT NULL,
    encrypted   BOOLEAN NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
