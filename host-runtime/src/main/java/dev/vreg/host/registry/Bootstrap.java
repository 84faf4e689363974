package dev.vreg.host.registry;

import dev.vreg.host.identity.GroupStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a fresh installation usable at once: on first start, group {@code default} with a public Go registry
 * {@code main} in front of the configured upstreams. When the upstream list is configured explicitly, the default
 * registry is brought in line with it at every start.
 */
public final class Bootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);
    public static final String GROUP = "default";
    public static final String REGISTRY = "main";

    private final Pool pool;
    private final GroupStore groups;

    public Bootstrap(Pool pool, GroupStore groups) {
        this.pool = pool;
        this.groups = groups;
    }

    /**
     * @param upstreams the upstream URLs in priority order
     * @param explicit  whether the operator configured them (then they are enforced at every start)
     */
    public Future<Void> run(List<String> upstreams, boolean explicit) {
        return pool.withTransaction(conn -> conn
                .query("SELECT pg_advisory_xact_lock(hashtext('vreg.bootstrap'))").execute()
                .compose(v -> conn.query("SELECT value FROM instance_settings WHERE key = 'bootstrapped'").execute())
                .compose(rows -> {
                    boolean first = rows.size() == 0;
                    if (!first && !explicit) {
                        return Future.succeededFuture();
                    }
                    return ensureRegistry(conn, first).compose(registryId -> registryId == null
                            ? Future.succeededFuture()
                            : linkUpstreams(conn, registryId, upstreams))
                            .compose(v -> conn.query("""
                                    INSERT INTO instance_settings (key, value) VALUES ('bootstrapped', 'true')
                                    ON CONFLICT (key) DO NOTHING""").execute())
                            .compose(v -> conn.query("NOTIFY vreg_config").execute())
                            .onSuccess(v -> {
                                if (first) {
                                    LOG.info("Created group '{}' with Go registry '{}' in front of {}", GROUP,
                                            REGISTRY, upstreams);
                                }
                            })
                            .mapEmpty();
                }));
    }

    /** The default registry's id; created on first start, left alone (possibly deleted) afterwards. */
    private Future<Long> ensureRegistry(SqlConnection conn, boolean first) {
        Future<?> created = !first ? Future.succeededFuture() : groups.ensure(conn, GROUP)
                .compose(groupId -> conn.preparedQuery("""
                                INSERT INTO registries (group_id, name, format, public, description)
                                VALUES ($1, $2, 'go', TRUE, 'Go modules from the public Go module mirror')
                                ON CONFLICT (group_id, name) DO NOTHING""")
                        .execute(Tuple.of(groupId, REGISTRY)));
        return created.compose(v -> conn.preparedQuery("""
                        SELECT r.id FROM registries r JOIN groups g ON g.id = r.group_id
                         WHERE g.name = $1 AND r.name = $2""")
                .execute(Tuple.of(GROUP, REGISTRY)))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong(0));
    }

    private Future<Void> linkUpstreams(SqlConnection conn, long registryId, List<String> urls) {
        Future<Void> chain = conn.preparedQuery("DELETE FROM registry_upstreams WHERE registry_id = $1")
                .execute(Tuple.of(registryId)).mapEmpty();
        for (int i = 0; i < urls.size(); i++) {
            String url = urls.get(i).replaceAll("/+$", "");
            int position = i + 1;
            chain = chain.compose(v -> conn.preparedQuery("""
                            WITH g AS (SELECT group_id FROM registries WHERE id = $1),
                                 found AS (
                                    INSERT INTO upstreams (group_id, name, kind, url)
                                    SELECT group_id, $2, 'goproxy', $3 FROM g
                                    ON CONFLICT (group_id, url, credentials_digest)
                                        DO UPDATE SET url = EXCLUDED.url
                                    RETURNING id)
                            INSERT INTO registry_upstreams (registry_id, upstream_id, position)
                            SELECT $1, id, $4 FROM found""")
                    .execute(Tuple.of(registryId, upstreamName(url), url, position)).mapEmpty());
        }
        return chain.compose(v -> conn.preparedQuery("""
                        UPDATE registries SET upstreams_count = (
                            SELECT count(*) FROM registry_upstreams WHERE registry_id = $1), updated_at = now()
                         WHERE id = $1""")
                .execute(Tuple.of(registryId)).mapEmpty());
    }

    private static String upstreamName(String url) {
        URI uri = URI.create(url);
        String name = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                + (uri.getPath() == null ? "" : uri.getPath());
        return name.replaceAll("/+$", "");
    }
}
