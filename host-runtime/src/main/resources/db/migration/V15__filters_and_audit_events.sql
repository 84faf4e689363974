-- Allow/deny filter rules per registry, and the audit events of what they blocked.

-- A registry without a row has no rules: everything is admitted.
CREATE TABLE registry_filters (
    registry_id  BIGINT PRIMARY KEY REFERENCES registries (id) ON DELETE CASCADE,
    mode         TEXT NOT NULL CHECK (mode IN ('deny-list', 'allow-list')),
    -- [{"action": "allow" | "deny", "pattern": "...", "versions": "..." | null, "reason": "..." | null}], in order.
    rules        JSONB NOT NULL CHECK (jsonb_typeof(rules) = 'array'),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE audit_events (
    id           BIGSERIAL PRIMARY KEY,
    group_id     BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    occurred_at  TIMESTAMPTZ NOT NULL,
    action       TEXT NOT NULL,
    -- Who: a user name, a token id, or "anonymous", with the client address.
    actor        TEXT NOT NULL,
    registry     TEXT,
    module       TEXT,
    version      TEXT,
    -- The filter rule that decided, 1-based; null when the allow-list admitted nothing.
    rule         INTEGER,
    reason       TEXT
);

CREATE INDEX audit_events_by_group_and_time ON audit_events (group_id, occurred_at DESC, id DESC);
