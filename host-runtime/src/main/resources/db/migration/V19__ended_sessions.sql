-- Sessions signed out before they expired (DELETE /api/v1/session). A session and the ones renewed from it share
-- one id, so ending one ends them all. A row is needed only while such a session could still be presented: it is
-- dropped once expires_at has passed. Every node keeps the ids in memory and reloads them on NOTIFY vreg_auth.
CREATE TABLE ended_sessions (
    session_id  TEXT PRIMARY KEY CHECK (session_id ~ '^[0-9a-f-]{36}$'),
    ended_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX ended_sessions_expiry ON ended_sessions (expires_at);
