package dev.vreg.host.registry;

import dev.vreg.host.db.Notify;
import dev.vreg.host.upstream.UpstreamStore;
import dev.vreg.host.identity.GroupStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.util.ArrayList;
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

    private record Target(long id, long groupId) {
    }

    private final Pool pool;
    private final GroupStore groups;
    private final RegistryStore registryStore;
    private final UpstreamStore upstreamStore;

    public Bootstrap(Pool pool, GroupStore groups, RegistryStore registryStore, UpstreamStore upstreamStore) {
        this.pool = pool;
        this.groups = groups;
        this.registryStore = registryStore;
        this.upstreamStore = upstreamStore;
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
                    return ensureRegistry(conn, first).compose(registry -> registry == null
                            ? Future.succeededFuture()
                            : linkUpstreams(conn, registry, upstreams))
                            .compose(v -> conn.query("""
                                    INSERT INTO instance_settings (key, value) VALUES ('bootstrapped', 'true')
                                    ON CONFLICT (key) DO NOTHING""").execute())
                            .compose(v -> Notify.config(conn))
                            .onSuccess(v -> {
                                if (first) {
                                    LOG.info("Created group '{}' with Go registry '{}' in front of {}", GROUP,
                                            REGISTRY, upstreams);
                                }
                            })
                            .mapEmpty();
                }));
    }

    /** The default registry; created on first start, left alone (possibly deleted) afterwards. */
    private Future<Target> ensureRegistry(SqlConnection conn, boolean first) {
        Future<?> created = !first ? Future.succeededFuture() : groups.ensure(conn, GROUP)
                .compose(groupId -> registryStore.createIfAbsent(conn, groupId, REGISTRY, "go", true,
                        "Go modules from the public Go module mirror"));
        return created.compose(v -> conn.preparedQuery("""
                        SELECT r.id, r.group_id FROM registries r JOIN groups g ON g.id = r.group_id
                         WHERE g.name = $1 AND r.name = $2""")
                .execute(Tuple.of(GROUP, REGISTRY)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Target(row.getLong("id"), row.getLong("group_id"));
                });
    }

    /**
     * The group's upstreams of {@code urls}, created where missing, become the registry's, in this order. An upstream
     * whose URL is still listed is kept, with everything it has cached; each link added, moved or removed is logged,
     * a removed one with the cached files the registry stops serving.
     */
    private Future<Void> linkUpstreams(SqlConnection conn, Target registry, List<String> urls) {
        List<Long> ids = new ArrayList<>();
        List<String> linked = new ArrayList<>();
        Future<Void> chain = Future.succeededFuture();
        for (String configured : urls) {
            String url = configured.replaceAll("/+$", "");
            chain = chain.compose(v -> upstreamStore.ensure(conn, registry.groupId(), upstreamName(url), "goproxy", url)
                    .map(id -> {
                        ids.add(id);
                        linked.add(url);
                        return null;
                    }));
        }
        return chain.compose(v -> registryStore.reconcile(conn, registry.id(), ids))
                .map(previous -> {
                    reportChanges(previous, ids, linked);
                    return null;
                });
    }

    private static void reportChanges(List<UpstreamLink.Previous> previous, List<Long> ids, List<String> urls) {
        String registry = GROUP + "/" + REGISTRY;
        for (UpstreamLink.Previous before : previous) {
            int now = ids.indexOf(before.upstreamId());
            if (now < 0) {
                LOG.warn("Upstream {} is no longer linked to {}: the configured Go upstreams do not list it; the {} "
                        + "cached file(s) it holds are no longer served from this registry. To switch upstreams "
                        + "without losing the cache, list the old one after the new one", before.url(), registry,
                        before.cachedFiles());
            } else if (now + 1 != before.position()) {
                LOG.info("Upstream {} of {} moves from position {} to {}", before.url(), registry, before.position(),
                        now + 1);
            }
        }
        for (int i = 0; i < ids.size(); i++) {
            long id = ids.get(i);
            if (previous.stream().noneMatch(p -> p.upstreamId() == id)) {
                LOG.info("Upstream {} is linked to {} at position {}", urls.get(i), registry, i + 1);
            }
        }
    }

    private static String upstreamName(String url) {
        URI uri = URI.create(url);
        String name = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                + (uri.getPath() == null ? "" : uri.getPath());
        return name.replaceAll("/+$", "");
    }
}
