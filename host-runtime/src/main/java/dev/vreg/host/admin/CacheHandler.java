package dev.vreg.host.admin;

import dev.vreg.host.auth.Role;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * {@code /groups/{group}/upstreams/{upstreamId}/cache}: what vreg holds from one upstream, page by page, and removing
 * entries so the next request fetches them again. Blobs no entry references any more are left for garbage collection.
 */
final class CacheHandler {

    private static final int MAX_PAGE = 1000;
    private static final String COLUMNS = """
            id, path, kind, artifact_name, artifact_version, size, blob_digest, created_at, checked_at,
            downloads_count, last_downloaded_at""";

    private final Pool pool;
    private final Access access;

    CacheHandler(Pool pool, Access access) {
        this.pool = pool;
        this.access = access;
    }

    void mount(Router router) {
        String base = "/groups/:group/upstreams/:upstreamId/cache";
        router.get(base).handler(Endpoint.of(this::list));
        router.delete(base).handler(Endpoint.of(this::purge));
        router.delete(base + "/:entryId").handler(Endpoint.of(this::delete));
    }

    private Future<Reply> list(RoutingContext ctx) {
        long upstreamId = UpstreamsHandler.upstreamId(ctx);
        String prefix = ctx.queryParams().get("prefix");
        int limit = number(ctx, "limit", 100, 1, MAX_PAGE);
        long after = number(ctx, "after", 0, 0, Long.MAX_VALUE);
        return access.group(ctx, Role.READER).compose(group -> pool.withConnection(conn ->
                UpstreamsHandler.fetch(conn, group, upstreamId).compose(u -> conn.preparedQuery("SELECT " + COLUMNS
                                + " FROM cache_entries WHERE upstream_id = $1 AND id > $2"
                                + " AND ($3::text IS NULL OR path LIKE $3 || '%') ORDER BY id LIMIT $4")
                        .execute(Tuple.of(upstreamId, after, escapeLike(prefix), limit + 1)))
                .map(rows -> {
                    JsonArray entries = new JsonArray();
                    Long last = null;
                    for (Row row : rows) {
                        if (entries.size() == limit) {
                            break;
                        }
                        entries.add(json(row));
                        last = row.getLong("id");
                    }
                    boolean more = rows.size() > limit;
                    return Reply.ok(new JsonObject().put("entries", entries).put("next", more ? last : null));
                })));
    }

    private Future<Reply> delete(RoutingContext ctx) {
        long upstreamId = UpstreamsHandler.upstreamId(ctx);
        String entryText = ctx.pathParam("entryId");
        long entryId;
        try {
            entryId = Long.parseLong(entryText);
        } catch (NumberFormatException e) {
            return Future.failedFuture(ApiException.notFound("cache entry " + entryText + " does not exist"));
        }
        return access.group(ctx, Role.MAINTAINER).compose(group -> pool.withConnection(conn ->
                UpstreamsHandler.fetch(conn, group, upstreamId).compose(u -> conn.preparedQuery(
                                "DELETE FROM cache_entries WHERE upstream_id = $1 AND id = $2")
                        .execute(Tuple.of(upstreamId, entryId)))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw ApiException.notFound("cache entry " + entryId + " does not exist");
                    }
                    return Reply.noContent();
                })));
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
    static Future<Integer> remove(SqlClient conn, Long[] upstreamIds, String prefix) {
        return conn.preparedQuery("DELETE FROM cache_entries WHERE upstream_id = ANY($1) "
                        + "AND ($2::text IS NULL OR path LIKE $2 || '%')")
                .execute(Tuple.of(upstreamIds, escapeLike(prefix)))
                .map(rows -> rows.rowCount());
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
        throw ApiException.invalid(java.util.List.of(new ApiException.FieldError(name,
                "must be a whole number from " + min + " to " + max)));
    }

    private static JsonObject json(Row row) {
        return new JsonObject().put("id", row.getLong("id")).put("path", row.getString("path"))
                .put("kind", row.getString("kind")).put("artifactName", row.getString("artifact_name"))
                .put("artifactVersion", row.getString("artifact_version")).put("size", row.getLong("size"))
                .put("blobDigest", row.getString("blob_digest"))
                .put("createdAt", Sql.time(row, "created_at")).put("checkedAt", Sql.time(row, "checked_at"))
                .put("downloadsCount", row.getLong("downloads_count"))
                .put("lastDownloadedAt", Sql.time(row, "last_downloaded_at"));
    }
}
