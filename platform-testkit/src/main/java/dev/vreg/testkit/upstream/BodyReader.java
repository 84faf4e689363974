package dev.vreg.testkit.upstream;

import dev.vreg.spi.UpstreamResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.function.LongConsumer;

/**
 * Consumes the paused body of an {@link UpstreamResponse} the way the host does: handlers first, then
 * {@code resume()}. Call these from the callback that received the response (e.g. inside {@code compose}), so the
 * handlers are in place on the response's own context.
 */
public final class BodyReader {

    private BodyReader() {
    }

    /** Reads the whole body into one buffer. Small bodies only. Fails with whatever the body stream reports. */
    public static Future<Buffer> readAll(UpstreamResponse response) {
        Promise<Buffer> done = Promise.promise();
        Buffer received = Buffer.buffer();
        ReadStream<Buffer> body = response.body();
        body.exceptionHandler(done::tryFail);
        body.endHandler(v -> done.tryComplete(received));
        body.handler(received::appendBuffer);
        body.resume();
        return done.future();
    }

    /**
     * Checks every byte of the body against {@link GeneratedBody} without keeping any of it.
     *
     * @param progressEvery how many bytes apart {@code progress} is called with the count received so far
     * @return the number of bytes received; fails on the first wrong byte or on a stream failure
     */
    public static Future<Long> verifyGenerated(UpstreamResponse response, long progressEvery, LongConsumer progress) {
        Promise<Long> done = Promise.promise();
        ReadStream<Buffer> body = response.body();
        long[] received = {0, progressEvery};
        body.exceptionHandler(done::tryFail);
        body.endHandler(v -> done.tryComplete(received[0]));
        body.handler(chunk -> {
            long mismatch = GeneratedBody.firstMismatch(received[0], chunk);
            if (mismatch >= 0) {
                done.tryFail(new AssertionError("wrong byte at offset " + mismatch));
                response.discard();
                return;
            }
            received[0] += chunk.length();
            if (received[0] >= received[1]) {
                received[1] += progressEvery;
                progress.accept(received[0]);
            }
        });
        body.resume();
        return done.future();
    }

    /**
     * Lets the body flow until at least {@code bytes} arrived, then pauses it again and completes with the count.
     * The rest of the body stays unread, for tests of {@link UpstreamResponse#discard()}.
     */
    public static Future<Long> readAtLeast(UpstreamResponse response, long bytes) {
        Promise<Long> done = Promise.promise();
        ReadStream<Buffer> body = response.body();
        long[] received = {0};
        body.exceptionHandler(done::tryFail);
        body.endHandler(v -> done.tryComplete(received[0]));
        body.handler(chunk -> {
            received[0] += chunk.length();
            if (received[0] >= bytes && done.tryComplete(received[0])) {
                body.pause();
            }
        });
        body.resume();
        return done.future();
    }
}
