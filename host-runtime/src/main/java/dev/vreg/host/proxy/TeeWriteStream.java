package dev.vreg.host.proxy;

import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.WriteStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Writes an upstream body to a temporary file and, at the same time, to the client that asked for it, hashing it on
 * the way. The client side lags one buffer behind: the last buffer is released only by {@link #finish()} once the
 * body has been validated and committed, so a client never receives a complete body that vreg then refused.
 * Backpressure comes from the slower of the two; a client that goes away stops receiving, but the file is still
 * written so the fetch completes for everyone else waiting on it.
 */
final class TeeWriteStream implements WriteStream<Buffer> {

    private final AsyncFile file;
    private final HttpServerResponse client;
    private final long maxBytes;
    private final MessageDigest sha256;
    private boolean clientGone;
    private Buffer held;
    private long bytes;
    private Handler<Void> drainHandler;

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
            client.closeHandler(v -> {
                clientGone = true;
                maybeDrain();
            });
        }
        file.drainHandler(v -> maybeDrain());
        if (client != null) {
            client.drainHandler(v -> maybeDrain());
        }
    }

    @Override
    public Future<Void> write(Buffer data) {
        bytes += data.length();
        if (bytes > maxBytes) {
            return Future.failedFuture(VregException.upstreamInvalid(
                    "upstream body exceeds the limit of " + maxBytes + " bytes"));
        }
        sha256.update(data.getBytes());
        Future<Void> written = file.write(data);
        if (!clientGone) {
            if (held != null && !client.closed()) {
                client.write(held);
            }
            held = data;
        }
        return written;
    }

    @Override
    public Future<Void> end() {
        return file.flush().compose(v -> file.close());
    }

    /** Releases the held buffer and ends the client's response. */
    Future<Void> finish() {
        if (clientGone || client.closed()) {
            return Future.succeededFuture();
        }
        return held == null ? client.end() : client.end(held);
    }

    /** Breaks the client's response so it cannot mistake a partial body for a complete one. */
    void abortClient() {
        held = null;
        if (client != null && !client.closed() && client.headWritten()) {
            client.reset();
        }
    }

    /** Closes the file after a failure; safe if it is already closed. */
    Future<Void> closeFile() {
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

    @Override
    public boolean writeQueueFull() {
        return file.writeQueueFull() || (!clientGone && client.writeQueueFull());
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
        this.drainHandler = handler;
        return this;
    }

    private void maybeDrain() {
        Handler<Void> handler = drainHandler;
        if (handler != null && !writeQueueFull()) {
            drainHandler = null;
            handler.handle(null);
        }
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        file.exceptionHandler(handler);
        return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
        file.setWriteQueueMaxSize(maxSize);
        if (client != null) {
            client.setWriteQueueMaxSize(maxSize);
        }
        return this;
    }
}
