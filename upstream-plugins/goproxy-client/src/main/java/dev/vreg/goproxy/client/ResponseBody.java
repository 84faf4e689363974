package dev.vreg.goproxy.client;

import dev.vreg.spi.VregException;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.streams.ReadStream;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * The body of a successful upstream answer as the host sees it: the Vert.x response, paused, with two additions.
 * Failures arrive as {@link VregException}s naming the upstream and the path (UPSTREAM_UNAVAILABLE for a broken
 * connection, UPSTREAM_TIMEOUT for a slow one). And the pace of the body is watched ({@link TransferPace}): the read
 * timeout keeps applying while the body streams, the body must keep the minimum rate, and it must end by the fetch's
 * deadline. Vert.x's request idle timeout stops at the response headers, and a connection-wide idle timeout would
 * also fire while the host holds the body back for a slow client; here only time in which the consumer is asking
 * for data counts against silence and rate.
 */
final class ResponseBody implements ReadStream<Buffer> {

    private final HttpClientResponse response;
    private final Vertx vertx;
    private final Context context;
    private final Failures failures;
    private final URI uri;
    private final String path;
    private final long readTimeoutMillis;
    private final TransferPace pace;

    private Handler<Buffer> dataHandler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private long demand;
    private long timerId = -1;
    private boolean finished;
    private boolean discarded;
    private VregException undelivered;
    /** The connection closed while answered data may still be queued for the consumer; see {@link #onClosed}. */
    private VregException closedEarly;

    /** How long the consumer may ask for data after the connection closed before the close counts as a failure. */
    private static final long CLOSED_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    /**
     * Wraps {@code response}, which must still be paused, so no chunk has been delivered yet.
     *
     * @param deadlineAt when, on {@link System#nanoTime()}'s clock, the whole fetch must be over
     */
    ResponseBody(HttpClientResponse response, Vertx vertx, Failures failures, URI uri, String path,
                 long readTimeoutMillis, long deadlineAt) {
        this.response = response;
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.failures = failures;
        this.uri = uri;
        this.path = path;
        this.readTimeoutMillis = readTimeoutMillis;
        this.pace = new TransferPace(System.nanoTime(), deadlineAt, TimeUnit.MILLISECONDS.toNanos(readTimeoutMillis),
                failures.transfer().minBytesPerSecond(), failures.transfer().window().toNanos());
        response.handler(this::onData);
        response.endHandler(v -> onEnd());
        response.exceptionHandler(cause -> {
            if (cause instanceof HttpClosedException) {
                onClosed(failures.brokenBody(cause, uri, path));
            } else {
                fail(failures.brokenBody(cause, uri, path));
            }
        });
        watch(pace.nanosUntilNextCheck(System.nanoTime()));
    }

    @Override
    public synchronized ResponseBody handler(Handler<Buffer> handler) {
        dataHandler = handler;
        return this;
    }

    @Override
    public synchronized ResponseBody endHandler(Handler<Void> handler) {
        endHandler = handler;
        return this;
    }

    @Override
    public ResponseBody exceptionHandler(Handler<Throwable> handler) {
        VregException failure;
        synchronized (this) {
            exceptionHandler = handler;
            failure = handler == null ? null : undelivered;
            undelivered = null;
        }
        if (failure != null) {
            // A failure that happened before anyone listened; delivered later so the setter has no side effects.
            context.runOnContext(v -> handler.handle(failure));
        }
        return this;
    }

    @Override
    public ResponseBody pause() {
        synchronized (this) {
            demand = 0;
            pace.held(System.nanoTime());
        }
        response.pause();
        return this;
    }

    @Override
    public ResponseBody resume() {
        return fetch(Long.MAX_VALUE);
    }

    @Override
    public ResponseBody fetch(long amount) {
        if (amount <= 0) {
            return this;
        }
        synchronized (this) {
            demand = demand > Long.MAX_VALUE - amount ? Long.MAX_VALUE : demand + amount;
            // Time the consumer held the body back is not the upstream's; the clocks restart now.
            pace.asked(System.nanoTime());
        }
        response.fetch(amount);
        return this;
    }

    /** Stops the body and releases its connection; later calls do nothing. */
    void discard() {
        synchronized (this) {
            if (discarded) {
                return;
            }
            discarded = true;
            boolean wasFinished = finished;
            finished = true;
            cancelWatch();
            if (wasFinished) {
                return;
            }
        }
        context.runOnContext(v -> ResponseDrain.discard(response, vertx, readTimeoutMillis));
    }

    private void onData(Buffer chunk) {
        Handler<Buffer> handler;
        synchronized (this) {
            if (finished) {
                return;
            }
            long now = System.nanoTime();
            pace.received(now, chunk.length());
            if (demand != Long.MAX_VALUE && demand > 0 && --demand == 0) {
                pace.held(now);
            }
            handler = dataHandler;
        }
        if (handler != null) {
            handler.handle(chunk);
        }
    }

    private void onEnd() {
        Handler<Void> handler;
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            cancelWatch();
            handler = endHandler;
        }
        if (handler != null) {
            handler.handle(null);
        }
    }

    /**
     * The connection closed. Vert.x reports that as soon as it happens, even when the whole answer was read from the
     * network and part of it still waits, queued, for a consumer that paused (an upstream that closes right after
     * answering, while the host writes to disk). What is queued is still delivered when asked for, so the close only
     * becomes a failure if the end does not arrive within a short time of the consumer asking.
     */
    private void onClosed(VregException failure) {
        synchronized (this) {
            if (finished) {
                return;
            }
            closedEarly = failure;
            long now = System.nanoTime();
            pace.shortenSilence(now, CLOSED_GRACE_NANOS);
            cancelWatch();
            watch(pace.nanosUntilNextCheck(now));
        }
    }

    private void fail(VregException failure) {
        Handler<Throwable> handler;
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            cancelWatch();
            handler = exceptionHandler;
            if (handler == null) {
                undelivered = failure;
            }
        }
        if (handler != null) {
            handler.handle(failure);
        }
    }

    private void watch(long delayNanos) {
        timerId = vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(delayNanos) + 1), id -> checkPace());
    }

    private synchronized void cancelWatch() {
        if (timerId != -1) {
            vertx.cancelTimer(timerId);
            timerId = -1;
        }
    }

    private void checkPace() {
        VregException failure;
        synchronized (this) {
            if (finished) {
                return;
            }
            long now = System.nanoTime();
            TransferPace.Breach breach = pace.check(now);
            if (breach == null) {
                watch(pace.nanosUntilNextCheck(now));
                return;
            }
            timerId = -1;
            // A connection that closed early explains the end of the body better than the time it took.
            failure = closedEarly != null ? closedEarly : switch (breach) {
                case SILENT -> failures.silentBody(uri, path);
                case TOO_SLOW -> failures.tooSlowBody(uri, path, pace.windowBytes());
                case PAST_DEADLINE -> failures.pastDeadline(uri, path, true);
            };
        }
        fail(failure);
        ResponseDrain.reset(response);
    }
}
