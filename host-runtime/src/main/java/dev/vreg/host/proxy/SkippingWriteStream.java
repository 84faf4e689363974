package dev.vreg.host.proxy;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/** Passes a stream on after dropping its first {@code skip} bytes (the part a client already received). */
final class SkippingWriteStream implements WriteStream<Buffer> {

    private final WriteStream<Buffer> target;
    private long skip;

    SkippingWriteStream(WriteStream<Buffer> target, long skip) {
        this.target = target;
        this.skip = skip;
    }

    @Override
    public Future<Void> write(Buffer data) {
        if (skip >= data.length()) {
            skip -= data.length();
            return Future.succeededFuture();
        }
        Buffer rest = skip == 0 ? data : data.getBuffer((int) skip, data.length());
        skip = 0;
        return target.write(rest);
    }

    @Override
    public Future<Void> end() {
        return target.end();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        target.exceptionHandler(handler);
        return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
        target.setWriteQueueMaxSize(maxSize);
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        return target.writeQueueFull();
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
        target.drainHandler(handler);
        return this;
    }
}
