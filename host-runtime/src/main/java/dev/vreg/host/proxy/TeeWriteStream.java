package dev.vreg.host.proxy;

import dev.vreg.spi.VregException;
import dev.vreg.spi.storage.BlobSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.WriteStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Writes an upstream body to a temporary file and, at the same time, to the client that asked for it, hashing it on
 * the way. The client side lags behind: the first {@link #HOLD_BYTES} are held back until more arrives, and then
 * always the last buffer, released only by {@link #finish} once the body has been validated and committed, so a
 * client never receives a complete body that vreg then refused.
 *
 * <p>Only the file applies backpressure to the upstream. A client that cannot keep up is detached: it stops
 * receiving live data and gets the rest from the committed blob at the end, so one slow client never holds up a
 * fetch that other clients are waiting for. A client that goes away simply stops receiving.
 */
final class TeeWriteStream implements WriteStream<Buffer> {

    /**
     * A body up to this size reaches the client only once it has been validated, so its refusal can still be
     * answered with a status and a reason instead of a broken-off download (every .info and .mod, most zips).
     */
    private static final int HOLD_BYTES = 64 << 10;
    /** How far a client may fall behind the upstream before it is detached. */
    private static final int CLIENT_QUEUE_BYTES = 4 << 20;

    private final AsyncFile file;
    private final HttpServerResponse client;
    private final long maxBytes;
    private final MessageDigest sha256;
    private boolean clientGone;
    private boolean fileClosed;
    private boolean detached;
    private boolean overLimit;
    private Buffer held;
    private long bytes;
    private long clientBytes;
    private long clientUnflushed;

    TeeWriteStream(AsyncFile file, HttpServerResponse client, long maxBytes) {
        this.file = file;
        this.client = client;
        this.maxBytes = maxBytes;
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
        bytes += data.length();
        if (bytes > maxBytes) {
            overLimit = true;
            return Future.failedFuture(VregException.upstreamInvalid(
                    "the body is more than the limit of " + maxBytes + " bytes"));
        }
        sha256.update(data.getBytes());
        Future<Void> written = file.write(data);
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

    @Override
    public Future<Void> end() {
        fileClosed = true;
        return file.flush().compose(v -> file.close());
    }

    /**
     * Completes the client's response once the body is committed: releases the held buffer, or, for a detached
     * client, sends what it has not received yet from the committed blob. A body that was held back entirely still
     * has its headers unsent, so it gets the same strong ETag as every later answer from the cache.
     */
    Future<Void> finish(Vertx vertx, BlobSource committed, String etag) {
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
        if (committed instanceof BlobSource.LocalFile local) {
            return vertx.fileSystem().open(local.path().toString(), new OpenOptions().setRead(true).setWrite(false))
                    .compose(rest -> rest.setReadPos(offset).setReadLength(local.size() - offset).pipeTo(client));
        }
        BlobSource.Stream stream = (BlobSource.Stream) committed;
        return stream.body().pipeTo(new SkippingWriteStream(client, offset));
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
        return !fileClosed && file.writeQueueFull();
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
        if (!fileClosed) {
            file.drainHandler(handler);
        }
        return this;
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
