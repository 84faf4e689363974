package dev.vreg.upstream.gitlab;

import dev.vreg.spi.UpstreamResponse;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An answer made by the plugin, served from a temporary file: the body is the file, paused, and the file's directory
 * is deleted once the body has ended, failed or been discarded.
 */
final class FileResponse implements UpstreamResponse {

    private final Vertx vertx;
    private final AsyncFile file;
    private final long length;
    private final Path workDir;
    private final AtomicBoolean released = new AtomicBoolean();
    private final Body body;

    private FileResponse(Vertx vertx, AsyncFile file, long length, Path workDir) {
        this.vertx = vertx;
        this.file = file;
        this.length = length;
        this.workDir = workDir;
        this.body = new Body();
    }

    /** Opens {@code file} (inside {@code workDir}, which is removed with it) as a paused body. */
    static Future<UpstreamResponse> open(Vertx vertx, Path file, Path workDir) {
        return vertx.fileSystem().props(file.toString()).compose(props ->
                vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true).setWrite(false))
                        .map(f -> {
                            f.pause();
                            return (UpstreamResponse) new FileResponse(vertx, f, props.size(), workDir);
                        }))
                .onFailure(e -> WorkDirs.delete(vertx, workDir));
    }

    @Override
    public boolean notModified() {
        return false;
    }

    @Override
    public long contentLength() {
        return length;
    }

    @Override
    public String etag() {
        return null;
    }

    @Override
    public ReadStream<Buffer> body() {
        return body;
    }

    @Override
    public void discard() {
        release();
    }

    private void release() {
        if (released.compareAndSet(false, true)) {
            file.close().onComplete(v -> WorkDirs.delete(vertx, workDir));
        }
    }

    /** The file's stream, releasing the file when it ends or fails. */
    private final class Body implements ReadStream<Buffer> {

        @Override
        public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            file.exceptionHandler(e -> {
                release();
                if (handler != null) {
                    handler.handle(e);
                }
            });
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
        public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
            file.endHandler(v -> {
                release();
                if (endHandler != null) {
                    endHandler.handle(null);
                }
            });
            return this;
        }
    }
}
