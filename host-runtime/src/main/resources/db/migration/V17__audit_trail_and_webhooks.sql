-- Audit events of every admin change, not only of blocked pulls; webhooks per group and their delivery log.

-- Instance-wide events (users, sessions, personal tokens) belong to no group, and a group's events outlive the
-- group: its name stays on them, and the instance admin still sees them after it was deleted.
ALTER TABLE audit_events ALTER COLUMN group_id DROP NOT NULL;
ALTER TABLE audit_events DROP CONSTRAINT audit_events_group_id_fkey;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_group_id_fkey
    FOREIGN KEY (group_id) REFERENCES groups (id) ON DELETE SET NULL;
ALTER TABLE audit_events
    ADD COLUMN group_name TEXT,
    -- The resource changed, as an API path (/groups/acme/registries/main).
    ADD COLUMN target     TEXT,
    -- The client's address, apart from actor for events other than request.blocked.
    ADD COLUMN address    TEXT,
    -- The resource before and after the change, with secrets masked; null when there is none.
    ADD COLUMN before     JSONB,
    ADD COLUMN after      JSONB;
UPDATE audit_events e SET group_name = g.name FROM groups g WHERE g.id = e.group_id;

CREATE INDEX audit_events_by_time ON audit_events (occurred_at, id);

CREATE TABLE webhooks (
    id           BIGSERIAL PRIMARY KEY,
    group_id     BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    url          TEXT NOT NULL,
    -- The event kinds it is sent: request.blocked, entries.deleted, policy.run.finished, upstream.test.failed.
    events       TEXT[] NOT NULL,
    -- The signing secret, encrypted with the host's key as upstream credentials are.
    secret       BYTEA NOT NULL,
    description  TEXT,
    enabled      BOOLEAN NOT NULL DEFAULT true,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX webhooks_by_group ON webhooks (group_id);

-- One row per event sent to one webhook: a queue (pending rows, claimed by pushing next_attempt_at past a lease,
-- so one node sends each) and the log of what the receiver answered.
CREATE TABLE webhook_deliveries (
    id               BIGSERIAL PRIMARY KEY,
    webhook_id       BIGINT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event            TEXT NOT NULL,
    payload          JSONB NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ,
    last_attempt_at  TIMESTAMPTZ,
    last_status      INTEGER,
    -- The start of the receiver's last answer, or why there was none.
    last_response    TEXT,
    created_at       TIMESTAMPTZ NOT NULL
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, id DESC);
