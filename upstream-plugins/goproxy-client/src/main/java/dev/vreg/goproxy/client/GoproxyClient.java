package dev.vreg.goproxy.client;

import dev.vreg.spi.ArtifactRequest;
import dev.vreg.spi.ConnectionReport;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.PluginContext;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamConfig;
import dev.vreg.spi.UpstreamResponse;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The client of one configured GOPROXY upstream: {@code GET <url>/<path>} for every artifact path
 * ({@code <module>/@v/list}, {@code .info}, {@code .mod}, {@code .zip}, {@code <module>/@latest}), the path
 * percent-encoded as the go command does. 200 streams the body, 304 answers a revalidation, 404 and 410 are
 * NOT_FOUND and GONE, 401 and 403 UNAUTHORIZED and FORBIDDEN, anything else UPSTREAM_UNAVAILABLE (a 503 or 429 with
 * the delay its {@code Retry-After} asks for, see {@link VregException#retryAfter()}). Credentials are
 * sent as Basic (user name and password) or Bearer (token), to the upstream's own origin only.
 *
 * <p>It owns one pooled, keep-alive {@link HttpClient}, so concurrent fetches for every registry using this upstream
 * share connections. Thread-safe.
 */
public final class GoproxyClient implements UpstreamClient {

    /**
     * A module list under a reserved top-level domain, so it can never exist: a working GOPROXY server answers it with
     * 404 or 410, which proves the server speaks the protocol without depending on any real module.
     */
    public static final String DEFAULT_PROBE_PATH = "vreg.invalid/probe/@v/list";

    /** The most bytes {@link #call} reads of an answer; API answers vreg reads are far smaller. */
    public static final int CALL_BODY_LIMIT = 256 * 1024;

    private final HttpClient http;
    private final Vertx vertx;
    private final UpstreamBaseUrl base;
    private final RedirectingGet get;
    private final Failures failures;
    private final ConnectionProbe probe;
    private final long readTimeoutMillis;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Opens a client of the GOPROXY server at {@code config.url()} with its credentials and timeouts; the kind and
     * the settings of {@code config} are the caller's. Performs no I/O: the one HTTP client is created from
     * {@code context}'s defaults, and nothing is sent until the first fetch or connection test.
     *
     * @param probePath the bang-escaped path, relative to the URL, that {@link #testConnection()} GETs; usually
     *                  {@link #DEFAULT_PROBE_PATH}
     * @throws VregException of kind INVALID, before any HTTP client is created, for a URL that is not a plain
     *                       http(s) base, credentials that cannot travel in a header, a timeout, deadline or rate
     *                       window outside 1 ms to 24 days or a probe path that is not relative and clean
     */
    public static GoproxyClient open(UpstreamConfig config, String probePath, PluginContext context) {
        UpstreamBaseUrl base = UpstreamBaseUrl.parse(config.url());
        try {
            GoPathEscaper.escapePath(probePath);
        } catch (IllegalArgumentException e) {
            throw VregException.invalid("the probe path is not usable: " + e.getMessage());
        }
        String authorization = AuthorizationHeader.of(config.credentials());
        int connectTimeout = positiveMillis(config.connectTimeout(), "connect timeout");
        int readTimeout = positiveMillis(config.readTimeout(), "read timeout");
        positiveMillis(config.transfer().deadline(), "transfer deadline");
        positiveMillis(config.transfer().window(), "minimum transfer rate window");

        HttpClientOptions options = context.httpClientOptions()
                .setConnectTimeout(connectTimeout)
                .setKeepAlive(true)
                // Bodies must reach the cache byte for byte and match Content-Length, so ask for no encoding.
                .setDecompressionSupported(false);
        HttpClient http = context.createHttpClient(options);

        Failures failures = new Failures(config.connectTimeout(), config.readTimeout(), config.transfer(),
                authorization != null, context.clock());
        RedirectingGet get = new RedirectingGet(http, context.vertx(), base, authorization, readTimeout, failures);
        ConnectionProbe probe = new ConnectionProbe(get, base, probePath, authorization != null, context.clock(),
                context.vertx(), readTimeout, config.transfer().deadline());
        return new GoproxyClient(http, context.vertx(), base, get, failures, probe, readTimeout);
    }

    private static int positiveMillis(Duration duration, String what) {
        long millis = duration.toMillis();
        if (millis <= 0 || millis > Integer.MAX_VALUE) {
            throw VregException.invalid("the upstream's " + what + " must be between 1 ms and 24 days");
        }
        return (int) millis;
    }

    private GoproxyClient(HttpClient http, Vertx vertx, UpstreamBaseUrl base, RedirectingGet get, Failures failures,
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
        // The deadline covers the whole fetch: connecting, redirects, the answer and its body.
        long deadlineAt = System.nanoTime() + failures.transfer().deadline().toNanos();
        return get.get(target, request.ifNoneMatch(), path, deadlineAt)
                .compose(answer -> respond(answer, request, path, deadlineAt));
    }

    private Future<UpstreamResponse> respond(RedirectingGet.Answer answer, ArtifactRequest request, String path,
                                             long deadlineAt) {
        HttpClientResponse response = answer.response();
        int status = response.statusCode();
        String etag = response.getHeader(HttpHeaders.ETAG);
        if (status == 200) {
            ResponseBody body = new ResponseBody(response, vertx, failures, answer.uri(), path, readTimeoutMillis,
                    deadlineAt);
            return Future.succeededFuture(new StreamedResponse(ResponseDrain.declaredLength(response), etag, body));
        }
        String retryAfter = response.getHeader(HttpHeaders.RETRY_AFTER);
        Future<Void> released = ResponseDrain.discard(response, vertx, readTimeoutMillis);
        if (status == 304 && request.ifNoneMatch() != null) {
            String current = etag != null ? etag : request.ifNoneMatch();
            return released.map(v -> new NotModifiedResponse(current, vertx.getOrCreateContext()));
        }
        return released.compose(v -> Future.failedFuture(failures.status(status, answer.uri(), path, retryAfter)));
    }

    @Override
    public Future<ConnectionReport> testConnection() {
        if (closed.get()) {
            return Future.succeededFuture(new ConnectionReport(false, false, false, -1,
                    "The client of upstream " + base.display() + " has been closed."));
        }
        return probe.run();
    }

    /** The GOPROXY base URL requests are resolved against, without a trailing slash. */
    public URI baseUrl() {
        return URI.create(base.toString());
    }

    /**
     * GETs {@code target}, a URL of the upstream's own origin outside its GOPROXY paths (a health check, an API of
     * the server's kind), as fetches are sent: with the configured credentials, following redirects the same way
     * (credentials only to this origin) and within the read timeout and transfer deadline. The body is read whole.
     *
     * @return any status as an {@link ApiAnswer}; fails with {@link ErrorKind#INVALID} when {@code target} is not of
     *         this upstream's origin, UPSTREAM_UNAVAILABLE or UPSTREAM_TIMEOUT as {@link #fetch} does when no answer
     *         arrives (see {@link #report(Throwable)}), and UPSTREAM_UNAVAILABLE for a body over
     *         {@link #CALL_BODY_LIMIT} bytes
     */
    public Future<ApiAnswer> call(URI target) {
        if (closed.get()) {
            return Future.failedFuture(new VregException(ErrorKind.UPSTREAM_UNAVAILABLE,
                    "the client of upstream " + base.display() + " has been closed"));
        }
        if (target.getHost() == null || !base.sameOrigin(target)) {
            return Future.failedFuture(VregException.invalid("only URLs of upstream " + base.display()
                    + " itself can be called with its credentials"));
        }
        String what = target.getRawPath();
        long started = System.nanoTime();
        long deadlineAt = started + failures.transfer().deadline().toNanos();
        return get.get(target, null, what, deadlineAt).compose(answer -> {
            HttpClientResponse response = answer.response();
            ResponseBody body = new ResponseBody(response, vertx, failures, answer.uri(), what, readTimeoutMillis,
                    deadlineAt);
            Promise<ApiAnswer> done = Promise.promise();
            Buffer received = Buffer.buffer();
            body.exceptionHandler(done::tryFail);
            body.handler(chunk -> {
                if (received.length() + chunk.length() > CALL_BODY_LIMIT) {
                    body.discard();
                    done.tryFail(new VregException(ErrorKind.UPSTREAM_UNAVAILABLE, "upstream "
                            + UpstreamBaseUrl.display(answer.uri()) + " sent more than " + CALL_BODY_LIMIT
                            + " bytes for " + what));
                    return;
                }
                received.appendBuffer(chunk);
            });
            body.endHandler(v -> done.tryComplete(new ApiAnswer(response.statusCode(),
                    Objects.requireNonNullElse(response.getHeader(HttpHeaders.CONTENT_TYPE), ""), received,
                    answer.uri(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))));
            body.resume();
            return done.future();
        });
    }

    /**
     * The connection report for a {@link #call} or probe that failed: "not reachable" when no answer arrived at all
     * (refused, TLS, DNS, timeout), otherwise the failure's own message.
     */
    public ConnectionReport report(Throwable failure) {
        return probe.forFailure(failure);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            http.close();
        }
    }
}
