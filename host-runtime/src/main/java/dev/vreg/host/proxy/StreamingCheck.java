package dev.vreg.host.proxy;

import dev.vreg.spi.ContentCheck;
import dev.vreg.spi.ContentChecker;
import io.vertx.core.Future;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Feeds a format's {@link ContentChecker} a body while it is being written, batch by batch, on a {@link SerialWorker}
 * of its own: in order, beside the transfer and beside the writing of the file instead of after them, so the file is
 * never read again to check it. At most {@link #MAX_PENDING_BYTES} wait for the checker; beyond that {@link #full()}
 * says so and the writer pauses the upstream until the checker has caught up. Once the checker has refused the body,
 * the batches still queued are passed over.
 */
final class StreamingCheck {

    static final int MAX_PENDING_BYTES = 4 << 20;

    private final SerialWorker worker;
    private final ContentChecker checker;
    private long pending;
    private volatile RuntimeException failure;
    private Runnable drained;

    /** @param worker the stage the checker runs on; its results come back on the worker's context */
    StreamingCheck(SerialWorker worker, ContentChecker checker) {
        this.worker = worker;
        this.checker = checker;
    }

    /** Queues the next bytes of the body, the buffers' positions to their limits; they must not change afterwards. */
    void offer(ByteBuffer[] batch) {
        long length = 0;
        for (ByteBuffer buffer : batch) {
            length += buffer.remaining();
        }
        pending += length;
        long queued = length;
        worker.<Void>submit(() -> {
            if (failure == null) {
                try {
                    for (ByteBuffer buffer : batch) {
                        checker.update(buffer);
                    }
                } catch (RuntimeException e) {
                    failure = e;
                    throw e;
                }
            }
            return null;
        }).onComplete(checked -> {
            pending -= queued;
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
        return worker.submit(() -> {
            if (failure != null) {
                throw failure;
            }
            return checker.finish(file);
        });
    }
}
