package dev.vreg.host.legacy;

import dev.vreg.host.db.Rows;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which registry answers GitLab's experimental Go proxy route for which project ({@code legacy_gitlab_projects}),
 * and who still calls that route ({@code legacy_gitlab_callers}).
 */
public final class LegacyProjects {

    /** A project as the route names it: its numeric id, or its full path as GitLab spells it. */
    private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,18}");
    private static final Pattern PATH = Pattern.compile(
            "[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)+");
    public static final int MAX_LENGTH = 255;
    public static final int MAX_PER_REGISTRY = 100;

    /** The registry a mapped project is served from. */
    public record Target(String group, String registry) {
    }

    /** One caller of the route for one registry. */
    public record Caller(String caller, long requests, Instant firstSeenAt, Instant lastSeenAt) {
    }

    /** What one batch of counts is keyed by. */
    public record CallerKey(long registryId, String caller) {
    }

    private final Pool pool;

    public LegacyProjects(Pool pool) {
        this.pool = pool;
    }

    /**
     * The form a project is kept and looked up in (paths are case-insensitive in GitLab), or empty when it is neither
     * a project id nor a full path.
     */
    public static Optional<String> normalize(String project) {
        if (project == null || project.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        if (ID.matcher(project).matches()) {
            return Optional.of(project);
        }
        if (PATH.matcher(project).matches() && !project.contains("..")) {
            return Optional.of(project.toLowerCase(Locale.ROOT));
        }
        return Optional.empty();
    }

    public Future<Optional<Target>> find(String project) {
        return pool.preparedQuery("""
                        SELECT g.name AS group_name, r.name AS registry_name
                          FROM legacy_gitlab_projects l
                          JOIN registries r ON r.id = l.registry_id
                          JOIN groups g ON g.id = r.group_id
                         WHERE l.project = $1""")
                .execute(Tuple.of(project))
                .map(rows -> Optional.ofNullable(Rows.first(rows))
                        .map(row -> new Target(row.getString("group_name"), row.getString("registry_name"))));
    }

    /** The projects mapped to a registry, sorted. */
    public Future<List<String>> list(long registryId) {
        return pool.withConnection(conn -> projectsOf(conn, registryId));
    }

    /**
     * Makes {@code projects} (normalized) exactly the projects mapped to a registry. Refused with 409 when one of them
     * is mapped to another registry: a project is served from one place.
     */
    public Future<List<String>> replace(long id, List<String> projects) {
        return pool.withTransaction(conn -> conn
                .preparedQuery("""
                        SELECT l.project, g.name AS group_name, r.name AS registry_name
                          FROM legacy_gitlab_projects l
                          JOIN registries r ON r.id = l.registry_id
                          JOIN groups g ON g.id = r.group_id
                         WHERE l.project = ANY($1) AND l.registry_id <> $2
                         ORDER BY l.project
                         FOR UPDATE OF l""")
                .execute(Tuple.of(projects.toArray(String[]::new), id))
                .compose(taken -> {
                    Row row = Rows.first(taken);
                    if (row != null) {
                        return Future.failedFuture(VregException.conflict("project " + row.getString("project")
                                + " is already served by registry " + row.getString("group_name") + "/"
                                + row.getString("registry_name") + "; remove it there first"));
                    }
                    return conn.preparedQuery("DELETE FROM legacy_gitlab_projects WHERE registry_id = $1")
                            .execute(Tuple.of(id))
                            .compose(v -> conn.preparedQuery("""
                                    INSERT INTO legacy_gitlab_projects (project, registry_id)
                                    SELECT p, $2 FROM unnest($1::text[]) AS p
                                    ON CONFLICT (project) DO NOTHING""")
                                    .execute(Tuple.of(projects.toArray(String[]::new), id)))
                            .compose(v -> projectsOf(conn, id));
                }));
    }

    /** Adds counted requests; callers of registries deleted meanwhile are dropped. One statement per batch. */
    public Future<Void> count(Map<CallerKey, Long> counts) {
        if (counts.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Map.Entry<CallerKey, Long>> entries = List.copyOf(counts.entrySet());
        Long[] registries = entries.stream().map(e -> e.getKey().registryId()).toArray(Long[]::new);
        String[] callers = entries.stream().map(e -> e.getKey().caller()).toArray(String[]::new);
        Long[] requests = entries.stream().map(Map.Entry::getValue).toArray(Long[]::new);
        return pool.preparedQuery("""
                        INSERT INTO legacy_gitlab_callers (registry_id, caller, requests)
                        SELECT v.registry_id, v.caller, v.n
                          FROM unnest($1::bigint[], $2::text[], $3::bigint[]) AS v(registry_id, caller, n)
                          JOIN registries r ON r.id = v.registry_id
                        ON CONFLICT (registry_id, caller) DO UPDATE
                           SET requests = legacy_gitlab_callers.requests + EXCLUDED.requests,
                               last_seen_at = now()""")
                .execute(Tuple.of(registries, callers, requests)).mapEmpty();
    }

    /** Who called the route for a registry, the most recent first. */
    public Future<List<Caller>> callers(long registryId) {
        return pool.preparedQuery("""
                        SELECT caller, requests, first_seen_at, last_seen_at FROM legacy_gitlab_callers
                         WHERE registry_id = $1 ORDER BY last_seen_at DESC, caller""")
                .execute(Tuple.of(registryId))
                .map(rows -> {
                    List<Caller> list = new ArrayList<>();
                    for (Row row : rows) {
                        list.add(new Caller(row.getString("caller"), row.getLong("requests"),
                                Rows.instant(row, "first_seen_at"), Rows.instant(row, "last_seen_at")));
                    }
                    return list;
                });
    }

    private static Future<List<String>> projectsOf(SqlConnection conn, long registryId) {
        return conn.preparedQuery("SELECT project FROM legacy_gitlab_projects WHERE registry_id = $1 ORDER BY project")
                .execute(Tuple.of(registryId))
                .map(rows -> {
                    List<String> list = new ArrayList<>();
                    rows.forEach(row -> list.add(row.getString("project")));
                    return list;
                });
    }
}
