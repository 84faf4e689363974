package dev.vreg.host.proxy;

import dev.vreg.host.storage.StorageFailures;
import dev.vreg.host.storage.StorageFailures.Operation;
import dev.vreg.spi.VregException;
import dev.vreg.spi.storage.BlobSource;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.WriteStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Writes an upstream body to a temporary file (in batches of {@link #FILE_BATCH_BYTES}) and, at the same time, to the
 * client that asked for it, hashing it on the way and handing each batch to the format's {@link StreamingCheck}. The client side lags behind: the first {@link #HOLD_BYTES} are held back until more arrives, and then
 * always the last buffer, released only by {@link #finish} once the body has been validated and committed, so a
 * client never receives a complete body that vreg then refused.
 *
 * <p>Only the file applies backpressure to the upstream. A client that cannot keep up is detached: it stops
 * receiving live data and gets the rest from the committed blob at the end, so one slow client never holds up a
 * fetch that other clients are waiting for. A client that goes away simply stops receiving.
 *
 * <p>Every write to the file is followed to its end: a pipe stops listening to write results once the upstream body
 * has ended, which for a body of one or two buffers is before the first write has even finished, so {@link #end()}
 * waits for all of them and fails, as the local store's fault, if any failed or if the file did not get every byte;
 * so does a failed flush or close.
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
     * Buffers from the upstream (a few KiB each) are gathered up to this size before they go to the file, so that a
     * large body costs one file-system call (and one hop to a worker thread) per this many bytes, not per buffer.
     */
    private static final int FILE_BATCH_BYTES = 256 << 10;

    private final AsyncFile file;
    private final HttpServerResponse client;
    private final long maxBytes;
    private final StorageFailures storage;
    private final MessageDigest sha256;
    private final StreamingCheck check;
    private Handler<Void> drainHandler;
    private int pendingWrites;
    private long fileBytes;
    private Throwable writeFailure;
    private VregException storageFailure;
    private Promise<Void> writesSettled;
    private boolean clientGone;
    private boolean fileClosed;
    private boolean detached;
    private boolean overLimit;
    private Buffer held;
    private Buffer batch;
    private long bytes;
    private long clientBytes;
    private long clientUnflushed;

    /** @param check the format's check to feed every batch written to the file, or null */
    TeeWriteStream(AsyncFile file, HttpServerResponse client, long maxBytes, StorageFailures storage,
                   StreamingCheck check) {
        this.file = file;
        this.check = check;
        this.client = client;
        this.maxBytes = maxBytes;
        this.storage = storage;
        this.clientGone = client == null;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (client != null) {
            client.closeHandler(v -> clientGone = true);
        }
    }

    @Override
    public Future<Void> write(Buffer data) {
        if (fileClosed || overLimit) {
            return Future.failedFuture(new IllegalStateException("the body is no longer being written"));
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
        sha256.update(((BufferInternal) data).getByteBuf().nioBuffer());
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

    /** Adds {@code data} to the batch for the file, and writes the batch once it is full. */
    private Future<Void> gather(Buffer data) {
        if (batch == null && data.length() >= FILE_BATCH_BYTES) {
            return writeToFile(data);
        }
        if (batch == null) {
            batch = Buffer.buffer(Math.min(FILE_BATCH_BYTES, Math.max(4096, data.length() * 8)));
        }
        batch.appendBuffer(data);
        if (batch.length() < FILE_BATCH_BYTES) {
            return Future.succeededFuture();
        }
        Buffer full = batch;
        batch = null;
        return writeToFile(full);
    }

    private Future<Void> writeToFile(Buffer data) {
        if (check != null) {
            check.offer(data);
        }
        int length = data.length();
        pendingWrites++;
        return file.write(data).transform(written -> {
            pendingWrites--;
            if (written.succeeded()) {
                fileBytes += length;
            } else if (writeFailure == null) {
                writeFailure = written.cause();
            }
            if (pendingWrites == 0 && writesSettled != null) {
                writesSettled.tryComplete();
            }
            return written.succeeded() ? Future.<Void>succeededFuture()
                    : Future.<Void>failedFuture(storageFailure(Operation.WRITE, written.cause()));
        });
    }

    /**
     * Completes once every write has finished, checks that all of them reached the file, then flushes it to disk and
     * closes it (closing even when something failed before).
     */
    @Override
    public Future<Void> end() {
        if (batch != null && !fileClosed) {
            Buffer last = batch;
            batch = null;
            writeToFile(last);
        }
        Future<Void> settled;
        if (pendingWrites == 0) {
            settled = Future.succeededFuture();
        } else {
            writesSettled = Promise.promise();
            settled = writesSettled.future();
        }
        return settled.compose(v -> {
            if (writeFailure != null) {
                return Future.failedFuture(storageFailure(Operation.WRITE, writeFailure));
            }
            if (fileBytes != bytes) {
                return Future.failedFuture(storageFailure(Operation.WRITE,
                        new IOException(fileBytes + " of " + bytes + " bytes reached the file")));
            }
            return file.flush().recover(e -> Future.failedFuture(storageFailure(Operation.SYNC, e)));
        }).transform(flushed -> {
            fileClosed = true;
            return file.close().transform(closed -> flushed.failed() ? failed(flushed)
                    : closed.failed() ? Future.failedFuture(storageFailure(Operation.CLOSE, closed.cause()))
                    : Future.succeededFuture());
        });
    }

    /** One failure per fetch, however many writes fail: it is counted once and every caller sees the same. */
    private VregException storageFailure(Operation operation, Throwable cause) {
        if (storageFailure == null) {
            storageFailure = storage.failed(operation, cause);
        }
        return storageFailure;
    }

    private static Future<Void> failed(AsyncResult<Void> result) {
        return Future.failedFuture(result.cause());
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
     * Closes the file after a failure; safe if it is already closed. A failure after the body was complete (the
     * format refused it) finds the file closed, and closing an AsyncFile twice throws instead of failing the future.
     */
    Future<Void> closeFile() {
        batch = null;
        if (fileClosed) {
            return Future.succeededFuture();
        }
        fileClosed = true;
        return file.close().recover(e -> Future.succeededFuture());
    }

    boolean clientHeadWritten() {
        return client != null && client.headWritten();
    }

    long bytes() {
        return bytes;
    }

    String sha256Hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** Whether the body was refused for growing past the limit. */
    boolean overLimit() {
        return overLimit;
    }

    /**
     * A refused write fails the fetch at once, and the failure closes the file while the pipe is still inside its
     * data handler, which asks this next. A closed AsyncFile throws from every method, so once the file is closed the
     * tee answers for it, here and in the other stream methods.
     */
    @Override
    public boolean writeQueueFull() {
        return !fileClosed && (file.writeQueueFull() || check != null && check.full());
    }

    /** Called once both the file and the format's check have room again. */
    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
        if (fileClosed) {
            return this;
        }
        if (check == null) {
            file.drainHandler(handler);
            return this;
        }
        drainHandler = handler;
        file.drainHandler(v -> drained());
        check.onDrained(this::drained);
        return this;
    }

    private void drained() {
        Handler<Void> handler = drainHandler;
        if (handler != null && !writeQueueFull()) {
            drainHandler = null;
            handler.handle(null);
        }
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        if (!fileClosed) {
            file.exceptionHandler(handler);
        }
        return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
        if (!fileClosed) {
            file.setWriteQueueMaxSize(maxSize);
        }
        return this;
    }
}
