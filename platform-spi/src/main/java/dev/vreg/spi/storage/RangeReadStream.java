package dev.vreg.spi.storage;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * Bytes {@code skip} to {@code skip + length - 1} of another stream. Chunks before the range are dropped (and the
 * demand they used is asked for again, so a consumer that fetches chunk by chunk is not left waiting); the chunk
 * that reaches the end of the range is cut and followed by the end. After that the source keeps flowing into
 * nothing until its own end, so whatever it holds is released. A source that ends early fails the range.
 */
final class RangeReadStream implements ReadStream<Buffer> {

    private final ReadStream<Buffer> source;
    private final long skip;
    private final long end;
    private final long sourceLength;
    private long position;
    private boolean ended;
    private Handler<Buffer> dataHandler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;

    RangeReadStream(ReadStream<Buffer> source, long skip, long length, long sourceLength) {
        this.source = source;
        this.skip = skip;
        this.end = skip + length;
        this.sourceLength = sourceLength;
        // Sources are handed out paused; made sure of, since setting a handler starts some streams (files).
        source.pause();
        source.handler(this::onChunk);
        source.endHandler(v -> onSourceEnd());
        source.exceptionHandler(this::onFailure);
    }

    @Override
    public synchronized RangeReadStream handler(Handler<Buffer> handler) {
        dataHandler = handler;
        return this;
    }

    @Override
    public synchronized RangeReadStream endHandler(Handler<Void> handler) {
        endHandler = handler;
        return this;
    }

    @Override
    public synchronized RangeReadStream exceptionHandler(Handler<Throwable> handler) {
        exceptionHandler = handler;
        return this;
    }

    @Override
    public RangeReadStream pause() {
        if (!isEnded()) {
            source.pause();
        }
        return this;
    }

    @Override
    public RangeReadStream resume() {
        if (!isEnded()) {
            source.resume();
        }
        return this;
    }

    @Override
    public RangeReadStream fetch(long amount) {
        if (!isEnded()) {
            source.fetch(amount);
        }
        return this;
    }

    private synchronized boolean isEnded() {
        return ended;
    }

    private void onChunk(Buffer chunk) {
        long start;
        Handler<Buffer> data;
        synchronized (this) {
            if (ended) {
                return;
            }
            start = position;
            position += chunk.length();
            data = dataHandler;
        }
        long chunkEnd = start + chunk.length();
        if (chunkEnd <= skip) {
            source.fetch(1);
            return;
        }
        int from = (int) Math.max(0, skip - start);
        int to = (int) Math.min(chunk.length(), end - start);
        if (data != null) {
            data.handle(from == 0 && to == chunk.length() ? chunk : chunk.slice(from, to));
        }
        if (chunkEnd >= end) {
            finish();
        }
    }

    /** The range is complete: end the consumer, then let the rest of the source run out. */
    private void finish() {
        Handler<Void> done;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            done = endHandler;
        }
        if (done != null) {
            done.handle(null);
        }
        source.resume();
    }

    private void onSourceEnd() {
        synchronized (this) {
            if (ended) {
                return;
            }
        }
        onFailure(new IllegalStateException("the blob's stream ended after " + position + " of "
                + sourceLength + " bytes, before byte " + (end - 1)));
    }

    private void onFailure(Throwable failure) {
        Handler<Throwable> handler;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            handler = exceptionHandler;
        }
        if (handler != null) {
            handler.handle(failure);
        }
    }
}
