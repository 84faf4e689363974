-- Allow/deny filter rules of a group, applied to every registry of the group before the registry's own.

-- A group without a row has no rules: its registries' own rules decide alone.
CREATE TABLE group_filters (
    group_id     BIGINT PRIMARY KEY REFERENCES groups (id) ON DELETE CASCADE,
    mode         TEXT NOT NULL CHECK (mode IN ('deny-list', 'allow-list')),
    -- The shape of registry_filters.rules, in order.
    rules        JSONB NOT NULL CHECK (jsonb_typeof(rules) = 'array'),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
