package dev.vreg.goproxy.client;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;

/**
 * Disposes of a response vreg does not pass on (errors, redirects, probes). A short body is read and dropped so the
 * keep-alive connection goes back to the pool: Go's module resolution probes every path prefix in parallel and most
 * of those answers are small 404s. A long body, or one that stalls, is cut off by resetting the stream, which costs
 * a connection but never buffers and never waits longer than the read timeout.
 */
final class ResponseDrain {

    /** The most bytes read to keep a connection; error pages of GOPROXY servers are far smaller. */
    static final long KEEP_ALIVE_LIMIT = 64 * 1024;

    private ResponseDrain() {
    }

    /**
     * Drops {@code response}'s body. Call on the response's context, with the response paused or unread.
     *
     * @return completes once the connection is released (body read to the end, or stream reset); never fails, so
     *         callers can wait for it before reporting, and the next request finds the connection back in the pool
     */
    static Future<Void> discard(HttpClientResponse response, Vertx vertx, long readTimeoutMillis) {
        Promise<Void> released = Promise.promise();
        if (declaredLength(response) > KEEP_ALIVE_LIMIT) {
            reset(response);
            released.complete();
            return released.future();
        }
        long[] seen = {0};
        long timer = vertx.setTimer(readTimeoutMillis, id -> {
            if (released.tryComplete()) {
                reset(response);
            }
        });
        try {
            response.exceptionHandler(failure -> {
                vertx.cancelTimer(timer);
                released.tryComplete();
            });
            response.endHandler(v -> {
                vertx.cancelTimer(timer);
                released.tryComplete();
            });
            response.handler(chunk -> {
                seen[0] += chunk.length();
                if (seen[0] > KEEP_ALIVE_LIMIT && released.tryComplete()) {
                    vertx.cancelTimer(timer);
                    reset(response);
                }
            });
            response.resume();
        } catch (IllegalStateException ended) {
            // The body had already ended, before its reader was told: there is nothing left to drop, and the
            // connection is back in the pool.
            vertx.cancelTimer(timer);
            released.tryComplete();
        }
        return released.future();
    }

    /** The declared Content-Length, or -1 when absent or not a number. */
    static long declaredLength(HttpClientResponse response) {
        String value = response.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (value == null) {
            return -1;
        }
        try {
            long length = Long.parseLong(value.trim());
            return length >= 0 ? length : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Abandons the rest of {@code response}; for HTTP/1.1 this closes the connection. */
    static void reset(HttpClientResponse response) {
        try {
            response.handler(null);
            response.exceptionHandler(failure -> { });
        } catch (IllegalStateException ended) {
            // A response that has ended holds its connection no more; there is nothing to abandon.
            return;
        }
        response.request().reset();
    }
}
