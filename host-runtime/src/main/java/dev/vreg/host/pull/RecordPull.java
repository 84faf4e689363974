package dev.vreg.host.pull;

import dev.vreg.host.cache.EntryPulls;
import dev.vreg.host.db.BatchedWriter;
import dev.vreg.host.proxy.ContentResolver;
import dev.vreg.host.stats.Statistics;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * The first pull stage: once the response ended (or broke off), counts the request with what the later stages
 * learnt: its registry, the file, how it was answered, its status, the bytes sent and how long it took. A download of
 * a cached file adds one pull and its bytes to the entry; the one streamed while it was fetched was counted by the
 * commit that created the entry. Nothing here waits for the database: counts are written in batches.
 */
final class RecordPull implements Handler<RoutingContext> {

    private final BatchedWriter<Long, EntryPulls> downloads;
    private final Statistics statistics;

    RecordPull(BatchedWriter<Long, EntryPulls> downloads, Statistics statistics) {
        this.downloads = downloads;
        this.statistics = statistics;
    }

    @Override
    public void handle(RoutingContext ctx) {
        long started = System.nanoTime();
        ctx.addEndHandler(ended -> {
            long nanos = System.nanoTime() - started;
            HttpServerResponse response = ctx.response();
            int status = response.getStatusCode();
            long bytes = response.bytesWritten();
            // How it was answered is known once the last stage is done, which can be after the response ended.
            PullContext.answered(ctx).onComplete(done -> record(ctx, status, bytes, nanos));
        });
        ctx.next();
    }

    private void record(RoutingContext ctx, int status, long bytes, long nanos) {
        boolean head = ctx.request().method() == HttpMethod.HEAD;
        ContentResolver.Outcome outcome = PullContext.outcome(ctx);
        if (outcome != null && !head && !outcome.streamed() && status < 400) {
            downloads.record(outcome.entry().id(), EntryPulls.one(bytes));
        }
        if (statistics != null) {
            statistics.pulled(new Statistics.Pull(PullContext.registryIfFound(ctx), PullContext.ref(ctx), outcome,
                    head, status, bytes, nanos, PullContext.isBlocked(ctx)));
        }
    }
}
