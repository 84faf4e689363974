package dev.vreg.testkit.storage;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.streams.ReadStream;

/**
 * A file read the way a store's stream behaves: it releases what it holds (closes the file) when it ends or fails,
 * whoever listens, since a consumer replaces the end and exception handlers.
 */
final class SelfClosingFile implements ReadStream<Buffer> {

    private final AsyncFile file;
    private volatile Handler<Void> endHandler;
    private volatile Handler<Throwable> exceptionHandler;

    SelfClosingFile(AsyncFile file) {
        this(file, () -> { });
    }

    /** Runs {@code onClosed} once the file is closed. */
    SelfClosingFile(AsyncFile file, Runnable onClosed) {
        this.file = file;
        file.endHandler(v -> file.close().onComplete(closed -> {
            onClosed.run();
            Handler<Void> handler = endHandler;
            if (handler != null) {
                handler.handle(null);
            }
        }));
        file.exceptionHandler(failure -> file.close().onComplete(closed -> {
            onClosed.run();
            Handler<Throwable> handler = exceptionHandler;
            if (handler != null) {
                handler.handle(failure);
            }
        }));
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        exceptionHandler = handler;
        return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        file.handler(handler);
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        file.pause();
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        file.resume();
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        file.fetch(amount);
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> handler) {
        endHandler = handler;
        return this;
    }
}
