package dev.vreg.host.proxy;

import dev.vreg.spi.UpstreamResponse;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

/** Reads a small upstream body into memory, refusing bodies larger than a limit. */
final class BodyReader {

    private BodyReader() {
    }

    static Future<Buffer> read(UpstreamResponse response, long maxBytes, String upstream, String path) {
        if (response.contentLength() > maxBytes) {
            response.discard();
            return Future.failedFuture(VregException.upstreamInvalid("upstream " + upstream + " sent "
                    + response.contentLength() + " bytes for " + path + ", more than the metadata limit of "
                    + maxBytes));
        }
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        // The client's own failures already say what happened (a broken connection, a timeout); others are wrapped.
        response.body().exceptionHandler(e -> promise.tryFail(e instanceof VregException ? e
                : VregException.upstreamUnavailable("upstream " + upstream + " broke off while sending " + path
                        + ": " + e.getMessage(), e)));
        response.body().endHandler(v -> promise.tryComplete(body));
        response.body().handler(chunk -> {
            if (body.length() + chunk.length() > maxBytes) {
                response.discard();
                promise.tryFail(VregException.upstreamInvalid("upstream " + upstream + " sent more than "
                        + maxBytes + " bytes for " + path));
                return;
            }
            body.appendBuffer(chunk);
        });
        response.body().resume();
        return promise.future();
    }
}
