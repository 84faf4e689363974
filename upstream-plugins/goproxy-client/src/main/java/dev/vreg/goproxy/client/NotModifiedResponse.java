package dev.vreg.goproxy.client;

import dev.vreg.spi.UpstreamResponse;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A 304 answer: the host's copy is current. The upstream connection was already released, so the body is an empty
 * stream that ends as soon as it is resumed.
 */
final class NotModifiedResponse implements UpstreamResponse {

    private final String etag;
    private final EmptyBody body;

    NotModifiedResponse(String etag, Context context) {
        this.etag = etag;
        this.body = new EmptyBody(context);
    }

    @Override
    public boolean notModified() {
        return true;
    }

    @Override
    public long contentLength() {
        return 0;
    }

    @Override
    public String etag() {
        return etag;
    }

    @Override
    public ReadStream<Buffer> body() {
        return body;
    }

    @Override
    public void discard() {
        // Nothing is held: the 304 carried no body and its connection is back in the pool.
    }

    /** A paused stream with no data that emits its end once a consumer asks for data. */
    private static final class EmptyBody implements ReadStream<Buffer> {

        private final Context context;
        private Handler<Void> endHandler;
        private boolean flowing;
        private boolean ended;

        EmptyBody(Context context) {
            this.context = context;
        }

        @Override
        public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            return this;
        }

        @Override
        public ReadStream<Buffer> handler(Handler<Buffer> handler) {
            return this;
        }

        @Override
        public synchronized ReadStream<Buffer> pause() {
            flowing = false;
            return this;
        }

        @Override
        public ReadStream<Buffer> resume() {
            return fetch(Long.MAX_VALUE);
        }

        @Override
        public ReadStream<Buffer> fetch(long amount) {
            if (amount <= 0) {
                return this;
            }
            synchronized (this) {
                flowing = true;
            }
            endIfAsked();
            return this;
        }

        @Override
        public ReadStream<Buffer> endHandler(Handler<Void> handler) {
            synchronized (this) {
                endHandler = handler;
            }
            endIfAsked();
            return this;
        }

        private void endIfAsked() {
            Handler<Void> handler;
            synchronized (this) {
                if (!flowing || ended || endHandler == null) {
                    return;
                }
                ended = true;
                handler = endHandler;
            }
            context.runOnContext(v -> handler.handle(null));
        }
    }
}
