package dev.vreg.host.storage.api;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiAuthHandler;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Reply;
import dev.vreg.host.cache.CacheRepository;
import dev.vreg.host.storage.BlobCollector;
import io.vertx.core.Future;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /storage} (the instance admin's): what the blob store holds against what the cache refers to, with the
 * bytes saved by storing identical content once and the last collection; {@code POST /storage/collections} runs a
 * collection now and answers what it reclaimed.
 */
public final class StorageHandler {

    private final String type;
    private final CacheRepository cache;
    private final BlobCollector collector;

    /** @param type {@code filesystem} or {@code s3} */
    public StorageHandler(String type, CacheRepository cache, BlobCollector collector) {
        this.type = type;
        this.cache = cache;
        this.collector = collector;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("getStorage", Endpoint.of(this::get));
        binder.bind("collectStorage", Endpoint.of(this::collect));
    }

    private Future<Reply> get(RoutingContext ctx) {
        Access.requireAdmin(ApiAuthHandler.principal(ctx));
        return cache.storageTotals().compose(totals -> collector.lastRun().compose(last -> collector
                .reclaimedInTotal().map(total -> Reply.ok(totals.put("type", type).put("lastCollection", last)
                        .put("reclaimedBytesTotal", total)))));
    }

    private Future<Reply> collect(RoutingContext ctx) {
        Access.requireAdmin(ApiAuthHandler.principal(ctx));
        return collector.collect(BlobCollector.Trigger.MANUAL).compose(run -> run.error() == null
                ? Future.succeededFuture(Reply.ok(run.json()))
                : Future.failedFuture(new VregException(ErrorKind.STORAGE_UNAVAILABLE,
                        "the collection failed after deleting " + run.blobsDeleted() + " blobs: " + run.error())));
    }
}
