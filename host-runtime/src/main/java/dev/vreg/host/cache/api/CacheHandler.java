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

import dev.vreg.host.cache.CachePage;
import dev.vreg.host.cache.CacheRepository;
import dev.vreg.host.storage.BlobCollector;
import dev.vreg.host.identity.Role;
import dev.vreg.host.upstream.UpstreamStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code /groups/{group}/upstreams/{upstreamId}/cache}: what vreg holds from one upstream, page by page, and removing
 * entries so the next request fetches them again. Blobs no entry references any more are collected right after.
 */
public final class CacheHandler {

    private static final int MAX_PER_PAGE = 100;
    private static final int MAX_PAGE_NUMBER = 1_000_000;

    private final CacheRepository cache;
    private final UpstreamStore upstreams;
    private final Access access;
    private final Runnable cacheChanged;
    private final Collection collection;

    /** Collects the blobs a removal left unreferenced; answers what went, or null when nothing collects. */
    @FunctionalInterface
    public interface Collection {
        Future<BlobCollector.Run> afterRemoval();
    }

    /**
     * @param cacheChanged drops what this node remembers of the cache once a removal committed
     * @param collection   runs once a removal committed
     */
    public CacheHandler(CacheRepository cache, UpstreamStore upstreams, Access access, Runnable cacheChanged,
                        Collection collection) {
        this.cache = cache;
        this.upstreams = upstreams;
        this.access = access;
        this.cacheChanged = cacheChanged;
        this.collection = collection;
    }

    /**
     * The reply to a removal of {@code deleted} entries: with the blobs and bytes the collection right after it
     * reclaimed, when it ran and succeeded (the entries are gone either way; the schedule collects the rest).
     */
    public static Future<Reply> removed(int deleted, Collection collection) {
        JsonObject body = new JsonObject().put("deleted", deleted);
        return collection.afterRemoval().transform(run -> {
            if (run.succeeded() && run.result() != null && run.result().error() == null) {
                body.put("blobsDeleted", run.result().blobsDeleted())
                        .put("reclaimedBytes", run.result().bytesReclaimed());
            }
            return Future.succeededFuture(Reply.ok(body));
        });
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
        return access.group(ctx, Role.READER)
                .compose(group -> upstreams.get(group.id(), group.name(), upstreamId))
                .compose(u -> cache.page(upstreamId, search, version, page, perPage))
                .map(listed -> page(ctx, listed, page, perPage));
    }

    private static Reply page(RoutingContext ctx, CachePage listed, int page, int perPage) {
        JsonArray entries = new JsonArray();
        listed.items().forEach(item -> entries.add(json(item)));
        long total = listed.total();
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
        return access.group(ctx, Role.MAINTAINER)
                .compose(group -> upstreams.get(group.id(), group.name(), upstreamId))
                .compose(u -> cache.delete(upstreamId, entryId))
                .onSuccess(deleted -> {
                    if (deleted) {
                        collection.afterRemoval();
                    }
                })
                .compose(deleted -> deleted ? Future.succeededFuture(Reply.noContent())
                        : Future.failedFuture(VregException.notFound("cache entry " + entryId + " does not exist")));
    }

    /** Removes every entry of the upstream, or those whose path starts with {@code ?prefix=}. */
    private Future<Reply> purge(RoutingContext ctx) {
        long upstreamId = UpstreamsHandler.upstreamId(ctx);
        String prefix = ctx.queryParams().get("prefix");
        return access.group(ctx, Role.MAINTAINER)
                .compose(group -> upstreams.get(group.id(), group.name(), upstreamId))
                .compose(u -> cache.remove(List.of(upstreamId), prefix))
                .compose(deleted -> removed(deleted, collection));
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
        throw InvalidFields.body(List.of(new FieldError(name,
                "must be a whole number from " + min + " to " + max)));
    }

    /** The last segment of an artifact path: {@code v1.0.0.zip}, {@code list}, {@code @latest}. */
    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static JsonObject json(CachePage.Item item) {
        return new JsonObject().put("id", item.id()).put("upstreamId", item.upstreamId())
                .put("path", item.path()).put("kind", item.kind())
                .put("name", item.name()).put("version", item.version())
                .put("file", fileName(item.path())).put("size", item.size())
                .put("blobDigest", item.blobDigest())
                .put("attributes", item.attributes())
                .put("createdAt", Sql.time(item.createdAt())).put("checkedAt", Sql.time(item.checkedAt()))
                .put("downloadsCount", item.downloads())
                .put("lastDownloadedAt", Sql.time(item.lastDownloadedAt()));
    }
}
