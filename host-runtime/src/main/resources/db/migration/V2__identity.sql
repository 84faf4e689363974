-- People, their roles in groups, and the tokens that stand for them.

CREATE TABLE users (
    id          BIGSERIAL PRIMARY KEY,
    username    TEXT NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9]([a-z0-9._-]{0,62}[a-z0-9])?$'),
    email       TEXT,
    -- The instance admin may do anything in every group.
    admin       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
    group_id    BIGINT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('reader', 'maintainer', 'owner')),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

-- A personal token acts as its user; a deploy token belongs to one group and can only pull from it.
-- Only the SHA-256 of the token is kept; the plaintext is shown once, when it is created.
CREATE TABLE tokens (
    id            BIGSERIAL PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('personal', 'deploy')),
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    user_id       BIGINT REFERENCES users (id) ON DELETE CASCADE,
    group_id      BIGINT REFERENCES groups (id) ON DELETE CASCADE,
    hash          TEXT NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$'),
    scopes        TEXT[] NOT NULL CHECK (scopes <@ ARRAY['read', 'write', 'admin'] AND cardinality(scopes) > 0),
    expires_at    TIMESTAMPTZ,
    last_used_at  TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((kind = 'personal' AND user_id IS NOT NULL AND group_id IS NULL)
        OR (kind = 'deploy' AND group_id IS NOT NULL AND scopes = ARRAY['read']))
);
CREATE INDEX tokens_user ON tokens (user_id);
CREATE INDEX tokens_group ON tokens (group_id);
