package dev.vreg.host.cache.api;

import dev.vreg.spi.VregException;
import dev.vreg.host.http.InvalidFields;
import dev.vreg.host.http.FieldError;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Reply;
import dev.vreg.host.api.Sql;
import dev.vreg.host.upstream.api.UpstreamsHandler;

import dev.vreg.host.identity.Role;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * {@code /groups/{group}/upstreams/{upstreamId}/cache}: what vreg holds from one upstream, page by page, and removing
 * entries so the next request fetches them again. Blobs no entry references any more are left for garbage collection.
 */
public final class CacheHandler {

    private static final int MAX_PER_PAGE = 100;
    private static final int MAX_PAGE_NUMBER = 1_000_000;
    private static final String COLUMNS = """
            id, upstream_id, path, kind, artifact_name, artifact_version, size, blob_digest, attributes,
            created_at, checked_at, downloads_count, last_downloaded_at""";

    private final Pool pool;
    private final Access access;
    private final Runnable cacheChanged;

    /** @param cacheChanged drops what this node remembers of the cache once a removal committed */
    public CacheHandler(Pool pool, Access access, Runnable cacheChanged) {
        this.pool = pool;
        this.access = access;
        this.cacheChanged = cacheChanged;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("listCacheEntries", Endpoint.of(this::list));
        binder.bind("purgeUpstreamCache", Endpoint.changing(this::purge, cacheChanged));
        binder.bind("deleteCacheEntry", Endpoint.changing(this::delete, cacheChanged));
    }

    private Future<Reply> list(RoutingContext ctx) {
        long upstreamId = UpstreamsHandler.upstreamId(ctx);
        String search = ctx.queryParams().get("search");
        String version = ctx.queryParams().get("version");
        int page = number(ctx, "page", 1, 1, MAX_PAGE_NUMBER);
        int perPage = number(ctx, "perPage", 20, 1, MAX_PER_PAGE);
        Tuple filter = Tuple.of(upstreamId, escapeLike(search), escapeLike(version));
        Tuple pageFilter = Tuple.of(upstreamId, escapeLike(search), escapeLike(version), perPage,
                (long) (page - 1) * perPage);
        String where = " FROM cache_entries WHERE upstream_id = $1"
                + " AND ($2::text IS NULL OR artifact_name COLLATE \"C\" LIKE $2 || '%')"
                + " AND ($3::text IS NULL OR artifact_version COLLATE \"C\" LIKE $3 || '%')";
        return access.group(ctx, Role.READER).compose(group -> pool.withConnection(conn ->
                UpstreamsHandler.fetch(conn, group, upstreamId)
                        .compose(u -> conn.preparedQuery("SELECT count(*)" + where).execute(filter))
                        .compose(counted -> {
                            long total = Sql.first(counted).getLong(0);
                            return conn.preparedQuery("SELECT " + COLUMNS + where
                                            + " ORDER BY artifact_name COLLATE \"C\", artifact_version COLLATE \"C\","
                                            + " path COLLATE \"C\", id"
                                            + " LIMIT $4 OFFSET $5")
                                    .execute(pageFilter)
                                    .map(rows -> page(ctx, rows, total, page, perPage));
                        })));
    }

    private static Reply page(RoutingContext ctx, RowSet<Row> rows, long total, int page, int perPage) {
        JsonArray entries = new JsonArray();
        rows.forEach(row -> entries.add(json(row)));
        long totalPages = (total + perPage - 1) / perPage;
        ctx.response().putHeader("X-Total", Long.toString(total))
                .putHeader("X-Total-Pages", Long.toString(totalPages))
                .putHeader("X-Page", Integer.toString(page))
                .putHeader("X-Per-Page", Integer.toString(perPage));
        if (page < totalPages) {
            ctx.response().putHeader("X-Next-Page", Integer.toString(page + 1));
        }
        return Reply.ok(new JsonObject().put("entries", entries).put("page", page).put("perPage", perPage)
                .put("total", total).put("totalPages", totalPages));
    }

    private Future<Reply> delete(RoutingContext ctx) {
        long upstreamId = UpstreamsHandler.upstreamId(ctx);
        String entryText = ctx.pathParam("entryId");
        long entryId;
        try {
            entryId = Long.parseLong(entryText);
        } catch (NumberFormatException e) {
            return Future.failedFuture(VregException.notFound("cache entry " + entryText + " does not exist"));
        }
        return access.group(ctx, Role.MAINTAINER).compose(group -> pool.withConnection(conn ->
                UpstreamsHandler.fetch(conn, group, upstreamId).compose(u -> conn.preparedQuery(
                                "DELETE FROM cache_entries WHERE upstream_id = $1 AND id = $2")
                        .execute(Tuple.of(upstreamId, entryId)))
                .compose(rows -> rows.rowCount() == 0
                        ? Future.failedFuture(VregException.notFound("cache entry " + entryId + " does not exist"))
                        : forgetElsewhere(conn).map(v -> Reply.noContent()))));
    }

    /** Removes every entry of the upstream, or those whose path starts with {@code ?prefix=}. */
    private Future<Reply> purge(RoutingContext ctx) {
        long upstreamId = UpstreamsHandler.upstreamId(ctx);
        String prefix = ctx.queryParams().get("prefix");
        return access.group(ctx, Role.MAINTAINER).compose(group -> pool.withConnection(conn ->
                UpstreamsHandler.fetch(conn, group, upstreamId)
                        .compose(u -> remove(conn, new Long[] {upstreamId}, prefix))
                .map(deleted -> Reply.ok(new JsonObject().put("deleted", deleted)))));
    }

    /**
     * Removes the entries of {@code upstreamIds}, all or those whose path starts with {@code prefix}, and tells how
     * many went. Shared by the upstream's and the registry's cache removal so both treat blobs alike.
     */
    public static Future<Integer> remove(SqlClient conn, Long[] upstreamIds, String prefix) {
        return conn.preparedQuery("DELETE FROM cache_entries WHERE upstream_id = ANY($1) "
                        + "AND ($2::text IS NULL OR path LIKE $2 || '%')")
                .execute(Tuple.of(upstreamIds, escapeLike(prefix)))
                .compose(rows -> forgetElsewhere(conn).map(rows.rowCount()));
    }

    /** Other nodes remember recent cache hits; the notification makes them forget. */
    public static Future<Void> forgetElsewhere(SqlClient conn) {
        return conn.query("NOTIFY vreg_config").execute().mapEmpty();
    }

    private static String escapeLike(String prefix) {
        return prefix == null ? null : prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static int number(RoutingContext ctx, String name, int fallback, int min, int max) {
        return (int) number(ctx, name, (long) fallback, min, max);
    }

    private static long number(RoutingContext ctx, String name, long fallback, long min, long max) {
        String text = ctx.queryParams().get(name);
        if (text == null) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Answered below.
        }
        throw InvalidFields.body(java.util.List.of(new FieldError(name,
                "must be a whole number from " + min + " to " + max)));
    }

    /** The last segment of an artifact path: {@code v1.0.0.zip}, {@code list}, {@code @latest}. */
    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static JsonObject json(Row row) {
        Object attributes = row.getValue("attributes");
        return new JsonObject().put("id", row.getLong("id")).put("upstreamId", row.getLong("upstream_id"))
                .put("path", row.getString("path")).put("kind", row.getString("kind"))
                .put("name", row.getString("artifact_name")).put("version", row.getString("artifact_version"))
                .put("file", fileName(row.getString("path"))).put("size", row.getLong("size"))
                .put("blobDigest", row.getString("blob_digest"))
                .put("attributes", attributes instanceof JsonObject json ? json : new JsonObject())
                .put("createdAt", Sql.time(row, "created_at")).put("checkedAt", Sql.time(row, "checked_at"))
                .put("downloadsCount", row.getLong("downloads_count"))
                .put("lastDownloadedAt", Sql.time(row, "last_downloaded_at"));
    }
}
