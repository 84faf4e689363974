-- Module path prefixes (Go: go.acme.example/) whose discovery requests (?go-get=1) a registry answers. A prefix
-- belongs to one registry of the whole instance, so a discovery request has one answer.
CREATE TABLE registry_vanity_prefixes (
    registry_id  BIGINT NOT NULL REFERENCES registries (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL CHECK (position >= 1),
    prefix       TEXT NOT NULL CHECK (length(prefix) BETWEEN 1 AND 512),
    PRIMARY KEY (registry_id, position),
    CONSTRAINT registry_vanity_prefixes_prefix_key UNIQUE (prefix)
);
