package dev.vreg.upstream.goproxy;

import dev.vreg.spi.ArtifactRequest;
import dev.vreg.spi.ConnectionReport;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamResponse;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The client of one configured GOPROXY upstream. It owns one pooled, keep-alive {@link HttpClient}, so concurrent
 * fetches for every registry using this upstream share connections. Thread-safe.
 */
final class GoproxyClient implements UpstreamClient {

    private final HttpClient http;
    private final Vertx vertx;
    private final UpstreamBaseUrl base;
    private final RedirectingGet get;
    private final Failures failures;
    private final ConnectionProbe probe;
    private final long readTimeoutMillis;
    private final AtomicBoolean closed = new AtomicBoolean();

    GoproxyClient(HttpClient http, Vertx vertx, UpstreamBaseUrl base, RedirectingGet get, Failures failures,
                  ConnectionProbe probe, long readTimeoutMillis) {
        this.http = http;
        this.vertx = vertx;
        this.base = base;
        this.get = get;
        this.failures = failures;
        this.probe = probe;
        this.readTimeoutMillis = readTimeoutMillis;
    }

    @Override
    public Future<UpstreamResponse> fetch(ArtifactRequest request) {
        String path = request.ref().path();
        if (closed.get()) {
            return Future.failedFuture(new VregException(ErrorKind.UPSTREAM_UNAVAILABLE,
                    "the client of upstream " + base.display() + " has been closed"));
        }
        URI target;
        try {
            target = base.resolve(GoPathEscaper.escapePath(path));
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(VregException.invalid("cannot request " + path + " from upstream "
                    + base.display() + ": " + e.getMessage()));
        }
        return get.get(target, request.ifNoneMatch(), path).compose(answer -> respond(answer, request, path));
    }

    private Future<UpstreamResponse> respond(RedirectingGet.Answer answer, ArtifactRequest request, String path) {
        HttpClientResponse response = answer.response();
        int status = response.statusCode();
        String etag = response.getHeader(HttpHeaders.ETAG);
        if (status == 200) {
            ResponseBody body = new ResponseBody(response, vertx, failures, answer.uri(), path, readTimeoutMillis);
            return Future.succeededFuture(new StreamedResponse(ResponseDrain.declaredLength(response), etag, body));
        }
        Future<Void> released = ResponseDrain.discard(response, vertx, readTimeoutMillis);
        if (status == 304 && request.ifNoneMatch() != null) {
            String current = etag != null ? etag : request.ifNoneMatch();
            return released.map(v -> new NotModifiedResponse(current, vertx.getOrCreateContext()));
        }
        return released.compose(v -> Future.failedFuture(failures.status(status, answer.uri(), path)));
    }

    @Override
    public Future<ConnectionReport> testConnection() {
        if (closed.get()) {
            return Future.succeededFuture(new ConnectionReport(false, false, false, -1,
                    "The client of upstream " + base.display() + " has been closed."));
        }
        return probe.run();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            http.close();
        }
    }
}
