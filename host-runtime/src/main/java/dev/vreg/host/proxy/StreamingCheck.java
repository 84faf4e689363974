package dev.vreg.host.proxy;

import dev.vreg.spi.ContentCheck;
import dev.vreg.spi.ContentChecker;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Feeds a format's {@link ContentChecker} a body while it is being written, batch by batch, on worker threads: one
 * batch at a time and in order, beside the transfer instead of after it, so the file is never read again to check
 * it. At most {@link #MAX_PENDING_BYTES} wait for the checker; beyond that {@link #full()} says so and the writer
 * pauses the upstream until the checker has caught up.
 */
final class StreamingCheck {

    static final int MAX_PENDING_BYTES = 4 << 20;

    private final Context context;
    private final ContentChecker checker;
    private Future<Void> queue = Future.succeededFuture();
    private long pending;
    private Throwable failure;
    private Runnable drained;

    /** @param context the event-loop context the body is written on; the checker's results come back on it */
    StreamingCheck(Context context, ContentChecker checker) {
        this.context = context;
        this.checker = checker;
    }

    /** Queues the next bytes of the body; they must not change afterwards. */
    void offer(Buffer batch) {
        int length = batch.length();
        pending += length;
        ByteBuffer bytes = ((BufferInternal) batch).getByteBuf().nioBuffer();
        queue = queue.compose(v -> context.<Void>executeBlocking(() -> {
            checker.update(bytes);
            return null;
        }, false));
        queue.onComplete(checked -> {
            pending -= length;
            if (checked.failed() && failure == null) {
                failure = checked.cause();
            }
            if (drained != null && !full()) {
                Runnable then = drained;
                drained = null;
                then.run();
            }
        });
    }

    /** Whether the checker has fallen so far behind that the body should wait for it. */
    boolean full() {
        return pending > MAX_PENDING_BYTES;
    }

    /** The checker's refusal, once it has refused the bytes so far, or null. */
    Throwable failure() {
        return failure;
    }

    /** Runs {@code then} once, when the checker is no longer {@link #full()}. */
    void onDrained(Runnable then) {
        drained = then;
    }

    /** After the last batch: the checker's verdict on the body, whose complete file is {@code file}. */
    Future<ContentCheck> finish(Path file) {
        return queue.compose(v -> context.executeBlocking(() -> checker.finish(file), false));
    }
}
