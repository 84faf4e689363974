package dev.vreg.host.proxy;

import dev.vreg.host.storage.StorageFailures;
import dev.vreg.host.storage.StorageFailures.Operation;
import dev.vreg.spi.ContentCheck;
import dev.vreg.spi.VregException;
import dev.vreg.spi.storage.BlobSource;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.WriteStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an upstream body to a temporary file and, at the same time, to the client that asked for it. The body's
 * buffers are gathered into batches of {@link #FILE_BATCH_BYTES}, without copying them, and each batch goes to two
 * stages that run beside the event loop and beside each other on worker threads: the {@link BodyFile}, which hashes
 * it (the blob's SHA-256) and writes it with one gathering write, and the format's {@link StreamingCheck}, which
 * checks it (for a Go zip, its rules and its {@code h1:} hash). The client side lags behind: the first
 * {@link #HOLD_BYTES} are held back until more arrives, and then always the last buffer, released only by
 * {@link #finish} once the body has been validated and committed, so a client never receives a complete body that
 * vreg then refused.
 *
 * <p>Only the stages apply backpressure to the upstream: when more than {@link #FILE_QUEUE_BYTES} wait for the file,
 * or the check falls behind, the upstream is paused. A client that cannot keep up is detached: it stops receiving
 * live data and gets the rest from the committed blob at the end, so one slow client never holds up a fetch that
 * other clients are waiting for. A client that goes away simply stops receiving.
 *
 * <p>Every write to the file is followed to its end: {@link #end()} queues the flush to disk, the check that the
 * file holds every byte and the close behind the last write, and fails, as the local store's fault, if any of them
 * failed.
 */
final class TeeWriteStream implements WriteStream<Buffer> {

    /**
     * A body up to this size reaches the client only once it has been validated, so its refusal can still be
     * answered with a status and a reason instead of a broken-off download (every .info and .mod, most zips).
     */
    private static final int HOLD_BYTES = 64 << 10;
    /** How far a client may fall behind the upstream before it is detached. */
    private static final int CLIENT_QUEUE_BYTES = 4 << 20;
    /**
     * Buffers from the upstream (a few KiB each) are gathered up to this size before they go to the stages, so that
     * a large body costs one file-system call (and one task for each stage) per this many bytes, not per buffer.
     */
    private static final int FILE_BATCH_BYTES = 256 << 10;
    /** Bytes handed to the file but not yet written, past which the upstream waits. */
    private static final int FILE_QUEUE_BYTES = 4 << 20;

    private final BodyFile file;
    private final HttpServerResponse client;
    private final long maxBytes;
    private final StorageFailures storage;
    private final StreamingCheck check;
    private Handler<Void> drainHandler;
    private long fileQueued;
    private VregException storageFailure;
    private String sha256;
    private java.util.concurrent.Callable<ContentCheck> wholeFileCheck;
    private Future<ContentCheck> wholeFileChecked;
    private boolean clientGone;
    private boolean fileClosed;
    private boolean detached;
    private boolean overLimit;
    private Buffer held;
    private final List<ByteBuffer> batch = new ArrayList<>();
    private int batchBytes;
    private long bytes;
    private long clientBytes;
    private long clientUnflushed;

    /** @param check the format's check to feed every batch written to the file, or null */
    TeeWriteStream(BodyFile file, HttpServerResponse client, long maxBytes, StorageFailures storage,
                   StreamingCheck check) {
        this.file = file;
        this.check = check;
        this.client = client;
        this.maxBytes = maxBytes;
        this.storage = storage;
        this.clientGone = client == null;
        if (client != null) {
            client.closeHandler(v -> clientGone = true);
        }
    }

    @Override
    public Future<Void> write(Buffer data) {
        if (fileClosed || overLimit) {
            return Future.failedFuture(new IllegalStateException("the body is no longer being written"));
        }
        if (storageFailure != null) {
            return Future.failedFuture(storageFailure);
        }
        if (check != null && check.failure() != null) {
            return Future.failedFuture(check.failure());
        }
        bytes += data.length();
        if (bytes > maxBytes) {
            overLimit = true;
            return Future.failedFuture(VregException.upstreamInvalid(
                    "the body is more than the limit of " + maxBytes + " bytes"));
        }
        Future<Void> written = gather(data);
        if (!clientGone && !detached) {
            if (clientUnflushed > CLIENT_QUEUE_BYTES) {
                detached = true;
            } else {
                if (held == null) {
                    held = data;
                } else if (clientBytes == 0 && held.length() + data.length() <= HOLD_BYTES) {
                    held = Buffer.buffer(held.length() + data.length()).appendBuffer(held).appendBuffer(data);
                } else {
                    int length = held.length();
                    clientUnflushed += length;
                    clientBytes += length;
                    client.write(held).onComplete(ar -> clientUnflushed -= length);
                    held = data;
                }
            }
        }
        return written;
    }

    /**
     * Adds {@code data} to the batch, and hands the batch to the stages once it is full. The views of its bytes are
     * taken now, before the same buffer is written to the client.
     */
    private Future<Void> gather(Buffer data) {
        if (data.length() == 0) {
            return Future.succeededFuture();
        }
        io.netty.buffer.ByteBuf bytes = ((BufferInternal) data).getByteBuf();
        batch.add(bytes.nioBuffer());
        batchBytes += data.length();
        return batchBytes < FILE_BATCH_BYTES ? Future.succeededFuture() : handOver();
    }

    /** Gives the batch to the check and to the file; they share the bytes, each stage with views of its own. */
    private Future<Void> handOver() {
        ByteBuffer[] forFile = batch.toArray(ByteBuffer[]::new);
        long length = batchBytes;
        batch.clear();
        batchBytes = 0;
        if (check != null) {
            ByteBuffer[] forCheck = new ByteBuffer[forFile.length];
            for (int i = 0; i < forFile.length; i++) {
                forCheck[i] = forFile[i].duplicate();
            }
            check.offer(forCheck);
        }
        fileQueued += length;
        return file.write(forFile).transform(written -> {
            fileQueued -= length;
            drained();
            return written.succeeded() ? Future.<Void>succeededFuture()
                    : Future.<Void>failedFuture(storageFailure(written.cause()));
        });
    }

    /**
     * Hands over the last batch, then completes once the file has every byte, flushed to disk, and is closed; the
     * blob's digest is then {@link #sha256Hex()}.
     */
    @Override
    public Future<Void> end() {
        if (fileClosed) {
            return Future.failedFuture(new IllegalStateException("the body is no longer being written"));
        }
        if (!batch.isEmpty()) {
            handOver();
        }
        fileClosed = true;
        Future<BodyFile.Written> finishing = file.finish(bytes);
        if (wholeFileCheck != null) {
            wholeFileChecked = file.afterFinish(wholeFileCheck);
        }
        return finishing.transform(finished -> {
            if (finished.failed()) {
                return Future.failedFuture(storageFailure(finished.cause()));
            }
            sha256 = finished.result().sha256();
            return Future.succeededFuture();
        });
    }

    /**
     * Has {@code check}, the format's check of the complete file, run on the file's worker as soon as the file is
     * complete, without a round trip through the event loop; its verdict is {@link #wholeFileCheck()}. Called before
     * the body is piped.
     */
    void checkWholeFileAtEnd(java.util.concurrent.Callable<ContentCheck> check) {
        this.wholeFileCheck = check;
    }

    /** The verdict of the check given to {@link #checkWholeFileAtEnd}, once {@link #end()} has succeeded. */
    Future<ContentCheck> wholeFileCheck() {
        return wholeFileChecked;
    }

    /** The local store's failure for a failed stage of the file; counted once per fetch. */
    private VregException storageFailure(Throwable cause) {
        return cause instanceof BodyFile.Failure failure ? storageFailure(failure.operation(), failure.getCause())
                : storageFailure(Operation.WRITE, cause);
    }

    /** One failure per fetch, however many writes fail: it is counted once and every caller sees the same. */
    private VregException storageFailure(Operation operation, Throwable cause) {
        if (storageFailure == null) {
            storageFailure = storage.failed(operation, cause);
        }
        return storageFailure;
    }

    /**
     * Completes the client's response once the body is committed: releases the held buffer, or, for a detached
     * client, sends what it has not received yet from the committed blob. A body that was held back entirely still
     * has its headers unsent, so it gets the same strong ETag as every later answer from the cache.
     */
    Future<Void> finish(Vertx vertx, java.util.function.Supplier<Future<BlobSource>> open, String etag) {
        if (clientGone || client.closed()) {
            return Future.succeededFuture();
        }
        if (!client.headWritten()) {
            client.putHeader(HttpHeaders.ETAG, etag);
        }
        if (!detached) {
            return held == null ? client.end() : client.end(held);
        }
        long offset = clientBytes;
        return open.get().compose(committed -> {
            if (committed instanceof BlobSource.LocalFile local) {
                return vertx.fileSystem().open(local.path().toString(), new OpenOptions().setRead(true)
                                .setWrite(false))
                        .compose(rest -> rest.setReadPos(offset).setReadLength(local.size() - offset).pipeTo(client));
            }
            BlobSource.Stream stream = (BlobSource.Stream) committed;
            return stream.body().pipeTo(new SkippingWriteStream(client, offset));
        });
    }

    /** Breaks the client's response so it cannot mistake a partial body for a complete one. */
    void abortClient() {
        held = null;
        if (client != null && !client.closed() && client.headWritten()) {
            client.reset();
        }
    }

    /**
     * Closes the file after a failure, behind the writes still queued; safe if it is already closed, and never fails.
     * Batches not yet handed over are dropped.
     */
    Future<Void> closeFile() {
        batch.clear();
        batchBytes = 0;
        fileClosed = true;
        return file.abort();
    }

    boolean clientHeadWritten() {
        return client != null && client.headWritten();
    }

    long bytes() {
        return bytes;
    }

    /** The SHA-256 of the body in hex, once {@link #end()} has succeeded. */
    String sha256Hex() {
        return sha256;
    }

    /** Whether the body was refused for growing past the limit. */
    boolean overLimit() {
        return overLimit;
    }

    /** Whether the upstream should wait: for the file, or for the check to catch up. */
    @Override
    public boolean writeQueueFull() {
        return !fileClosed && (fileQueued > FILE_QUEUE_BYTES || check != null && check.full());
    }

    /** Called once both the file and the format's check have room again. */
    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
        drainHandler = handler;
        if (check != null && handler != null) {
            check.onDrained(this::drained);
        }
        return this;
    }

    private void drained() {
        Handler<Void> handler = drainHandler;
        if (handler != null && !writeQueueFull()) {
            drainHandler = null;
            handler.handle(null);
        }
    }

    /** Failures of the file reach the pipe through {@link #write} and {@link #end()}; there is nothing else to tell. */
    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
        return this;
    }
}
