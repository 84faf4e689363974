package dev.vreg.host.stats;

import dev.vreg.host.upstream.Upstream;
import dev.vreg.spi.ArtifactRequest;
import dev.vreg.spi.ConnectionReport;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamResponse;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * An upstream's client that counts what it is asked and answers: the latency until each answer's head, found, not
 * found or failed by {@link ErrorKind}, and the bytes of the bodies as they are read.
 */
public final class MeteredUpstreamClient implements UpstreamClient {

    private final UpstreamClient client;
    private final Upstream upstream;
    private final Statistics statistics;

    public MeteredUpstreamClient(UpstreamClient client, Upstream upstream, Statistics statistics) {
        this.client = client;
        this.upstream = upstream;
        this.statistics = statistics;
    }

    @Override
    public Future<UpstreamResponse> fetch(ArtifactRequest request) {
        long started = System.nanoTime();
        Future<UpstreamResponse> answered;
        try {
            answered = client.fetch(request);
        } catch (RuntimeException e) {
            answered = Future.failedFuture(e);
        }
        return answered.transform(done -> {
            long nanos = System.nanoTime() - started;
            if (done.succeeded()) {
                statistics.upstreamAnswered(upstream, request.ref(), true, null, nanos);
                return Future.succeededFuture(new Counted(done.result()));
            }
            Throwable failure = done.cause();
            boolean notFound = VregException.is(failure, ErrorKind.NOT_FOUND) || VregException.is(failure, ErrorKind.GONE);
            statistics.upstreamAnswered(upstream, request.ref(), false, notFound ? null : failure, nanos);
            return Future.failedFuture(failure);
        });
    }

    @Override
    public Future<ConnectionReport> testConnection() {
        return client.testConnection();
    }

    @Override
    public void close() {
        client.close();
    }

    /** A response whose body tells the bytes read once it ended or failed. */
    private final class Counted implements UpstreamResponse {

        private final UpstreamResponse response;
        private CountingStream counting;

        Counted(UpstreamResponse response) {
            this.response = response;
        }

        @Override
        public boolean notModified() {
            return response.notModified();
        }

        @Override
        public long contentLength() {
            return response.contentLength();
        }

        @Override
        public String etag() {
            return response.etag();
        }

        @Override
        public ReadStream<Buffer> body() {
            if (counting == null) {
                counting = new CountingStream(response.body());
            }
            return counting;
        }

        @Override
        public void discard() {
            response.discard();
        }
    }

    private final class CountingStream implements ReadStream<Buffer> {

        private final ReadStream<Buffer> body;
        private long bytes;
        private boolean reported;

        CountingStream(ReadStream<Buffer> body) {
            this.body = body;
        }

        private void report() {
            if (!reported) {
                reported = true;
                statistics.upstreamBytes(upstream, bytes);
            }
        }

        @Override
        public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            body.exceptionHandler(handler == null ? null : e -> {
                report();
                handler.handle(e);
            });
            return this;
        }

        @Override
        public ReadStream<Buffer> handler(Handler<Buffer> handler) {
            body.handler(handler == null ? null : buffer -> {
                bytes += buffer.length();
                handler.handle(buffer);
            });
            return this;
        }

        @Override
        public ReadStream<Buffer> pause() {
            body.pause();
            return this;
        }

        @Override
        public ReadStream<Buffer> resume() {
            body.resume();
            return this;
        }

        @Override
        public ReadStream<Buffer> fetch(long amount) {
            body.fetch(amount);
            return this;
        }

        @Override
        public ReadStream<Buffer> endHandler(Handler<Void> handler) {
            body.endHandler(handler == null ? null : v -> {
                report();
                handler.handle(v);
            });
            return this;
        }
    }
}
