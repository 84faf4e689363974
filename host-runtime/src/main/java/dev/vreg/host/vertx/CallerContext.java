package dev.vreg.host.vertx;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

/**
 * A future shared between requests (a cache entry, a single-flight call) completes on the event loop of whoever
 * started it; the callbacks of each waiting request must run on that request's own event loop, which owns its
 * connection.
 */
public final class CallerContext {

    private CallerContext() {
    }

    /** {@code future}, with its callbacks run on the calling thread's Vert.x context (if there is one). */
    public static <T> Future<T> bind(Future<T> future) {
        Context current = Vertx.currentContext();
        if (current == null) {
            return future;
        }
        if (future.isComplete()) {
            // Most binds are of a cached value that is already there: the same answer, bound to the caller's
            // context, without the round trip through a CompletionStage.
            ContextInternal context = (ContextInternal) current;
            return future.succeeded() ? context.succeededFuture(future.result()) : context.failedFuture(future.cause());
        }
        return Future.fromCompletionStage(future.toCompletionStage(), current);
    }
}
