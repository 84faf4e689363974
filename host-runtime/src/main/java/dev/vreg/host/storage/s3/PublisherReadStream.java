package dev.vreg.host.storage.s3;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A Reactive Streams publisher of bytes (an S3 object's body) as a Vert.x {@link ReadStream}: every handler runs on
 * the Vert.x context the stream was made on, and the publisher is asked for more only while the consumer wants more,
 * a few chunks ahead. Starts paused. Without a data handler the chunks are dropped and the publisher runs to its end,
 * so the connection behind it is released whoever stopped listening.
 */
final class PublisherReadStream implements ReadStream<Buffer>, Subscriber<ByteBuffer> {

    /** Chunks asked for ahead of the consumer. */
    private static final int AHEAD = 8;

    private final Context context;
    // Everything below is touched on the context only, except where the subscriber methods hop onto it.
    private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
    private Subscription subscription;
    private long demand;
    private int requested;
    private boolean completed;
    private Throwable failure;
    private boolean done;
    /** The consumer removed its data handler: what remains is dropped. */
    private boolean dropping;
    private Handler<Buffer> dataHandler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;

    PublisherReadStream(Context context, Publisher<ByteBuffer> publisher) {
        this.context = context;
        publisher.subscribe(this);
    }

    @Override
    public void onSubscribe(Subscription s) {
        context.runOnContext(v -> {
            subscription = s;
            drain();
        });
    }

    @Override
    public void onNext(ByteBuffer chunk) {
        byte[] bytes = new byte[chunk.remaining()];
        chunk.get(bytes);
        context.runOnContext(v -> {
            requested--;
            queue.add(Buffer.buffer(bytes));
            drain();
        });
    }

    @Override
    public void onError(Throwable t) {
        context.runOnContext(v -> {
            failure = t;
            drain();
        });
    }

    @Override
    public void onComplete() {
        context.runOnContext(v -> {
            completed = true;
            drain();
        });
    }

    private void drain() {
        if (done) {
            return;
        }
        if (failure != null) {
            // Kept until someone listens: a failure before the consumer set its handlers is not lost.
            if (exceptionHandler != null) {
                done = true;
                queue.clear();
                exceptionHandler.handle(failure);
            }
            return;
        }
        while (!queue.isEmpty() && (demand > 0 || dropping)) {
            Buffer chunk = queue.poll();
            if (demand != Long.MAX_VALUE && !dropping) {
                demand--;
            }
            if (dataHandler != null) {
                dataHandler.handle(chunk);
            }
            if (done) {
                return;
            }
        }
        if (queue.isEmpty() && completed && (demand > 0 || dropping)) {
            done = true;
            if (endHandler != null) {
                endHandler.handle(null);
            }
            return;
        }
        boolean wanted = demand > 0 || dropping;
        if (subscription != null && !completed && wanted && requested + queue.size() < AHEAD) {
            int more = AHEAD - requested - queue.size();
            requested += more;
            subscription.request(more);
        }
    }

    private void onContext(Runnable action) {
        if (Context.isOnVertxThread() && context == io.vertx.core.Vertx.currentContext()) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    @Override
    public PublisherReadStream exceptionHandler(Handler<Throwable> handler) {
        onContext(() -> {
            exceptionHandler = handler;
            drain();
        });
        return this;
    }

    @Override
    public PublisherReadStream handler(Handler<Buffer> handler) {
        onContext(() -> {
            if (handler != null || dataHandler != null) {
                dropping = handler == null;
            }
            dataHandler = handler;
            drain();
        });
        return this;
    }

    @Override
    public PublisherReadStream endHandler(Handler<Void> handler) {
        onContext(() -> endHandler = handler);
        return this;
    }

    @Override
    public PublisherReadStream pause() {
        onContext(() -> demand = 0);
        return this;
    }

    @Override
    public PublisherReadStream resume() {
        return fetch(Long.MAX_VALUE);
    }

    @Override
    public PublisherReadStream fetch(long amount) {
        if (amount <= 0) {
            return this;
        }
        onContext(() -> {
            demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
            drain();
        });
        return this;
    }
}
