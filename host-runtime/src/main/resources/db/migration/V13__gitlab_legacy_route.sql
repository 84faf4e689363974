-- GitLab's experimental Go proxy served /api/v4/projects/:id/packages/go; vreg answers that route for the projects
-- mapped here, each to the registry that now serves its modules.
CREATE TABLE legacy_gitlab_projects (
    -- As the route names it: a numeric project id or the project's full path (group/sub/project).
    project      TEXT PRIMARY KEY CHECK (length(project) BETWEEN 1 AND 255),
    registry_id  BIGINT NOT NULL REFERENCES registries (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX legacy_gitlab_projects_registry ON legacy_gitlab_projects (registry_id);

-- Who still calls the route, so operators can tell them before it is turned off.
CREATE TABLE legacy_gitlab_callers (
    registry_id    BIGINT NOT NULL REFERENCES registries (id) ON DELETE CASCADE,
    caller         TEXT NOT NULL,
    requests       BIGINT NOT NULL CHECK (requests >= 0),
    first_seen_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (registry_id, caller)
);
