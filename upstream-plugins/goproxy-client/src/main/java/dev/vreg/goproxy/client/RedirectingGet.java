package dev.vreg.goproxy.client;

import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One GET against the upstream, following redirects the way the go command does (cmd/go/internal/web): at most
 * {@value #MAX_REDIRECTS} of them and never from https to http. Vert.x's own redirect handling is not used because
 * it would carry the {@code Authorization} header to any host; here credentials go only to the configured upstream's
 * origin (scheme, host and port), so a redirect to a CDN or an object store receives none.
 */
final class RedirectingGet {

    static final int MAX_REDIRECTS = 10;

    private final HttpClient client;
    private final Vertx vertx;
    private final UpstreamBaseUrl base;
    private final String authorization;
    private final long readTimeoutMillis;
    private final Failures failures;

    /** What finally answered: the URL and its response, paused and unread. */
    record Answer(URI uri, HttpClientResponse response) {
    }

    RedirectingGet(HttpClient client, Vertx vertx, UpstreamBaseUrl base, String authorization,
                   long readTimeoutMillis, Failures failures) {
        this.client = client;
        this.vertx = vertx;
        this.base = base;
        this.authorization = authorization;
        this.readTimeoutMillis = readTimeoutMillis;
        this.failures = failures;
    }

    /**
     * GETs {@code target}. Succeeds with the first answer that is not a redirect, whatever its status; fails with
     * an {@link UpstreamUnreachable} when no answer arrived, an UPSTREAM_UNAVAILABLE {@link VregException} for a
     * redirect that may not be followed and an UPSTREAM_TIMEOUT one when no answer arrived by {@code deadlineAt}.
     *
     * @param path       the artifact path, for messages
     * @param deadlineAt when, on {@link System#nanoTime()}'s clock, the whole fetch must be over
     */
    Future<Answer> get(URI target, String ifNoneMatch, String path, long deadlineAt) {
        return attempt(target, ifNoneMatch, path, 0, deadlineAt);
    }

    private Future<Answer> attempt(URI uri, String ifNoneMatch, String path, int redirects, long deadlineAt) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(hostForConnection(uri))
                .setPort(UpstreamBaseUrl.effectivePort(uri))
                .setSsl("https".equalsIgnoreCase(uri.getScheme()))
                .setURI(requestTarget(uri))
                .setFollowRedirects(false)
                // Covers the wait for the status line and headers; ResponseBody watches the body itself.
                .setIdleTimeout(readTimeoutMillis);
        if (authorization != null && base.sameOrigin(uri)) {
            options.putHeader(HttpHeaders.AUTHORIZATION, authorization);
        }
        if (ifNoneMatch != null) {
            options.putHeader(HttpHeaders.IF_NONE_MATCH, ifNoneMatch);
        }
        Future<HttpClientRequest> request;
        try {
            request = client.request(options);
        } catch (RuntimeException e) {
            request = Future.failedFuture(e);
        }
        return byDeadline(request, uri, path, deadlineAt)
                .compose(response -> {
                    String location = response.getHeader(HttpHeaders.LOCATION);
                    if (!isRedirect(response.statusCode()) || location == null) {
                        return Future.succeededFuture(new Answer(uri, response));
                    }
                    return ResponseDrain.discard(response, vertx, readTimeoutMillis)
                            .compose(released -> follow(uri, location, ifNoneMatch, path, redirects, deadlineAt));
                });
    }

    /**
     * Sends {@code request} and waits for its answer until {@code deadlineAt} at most. The read timeout alone would
     * let headers that trickle in keep a fetch going for ever; past the deadline the request is reset and an answer
     * that still arrives is thrown away.
     */
    private Future<HttpClientResponse> byDeadline(Future<HttpClientRequest> request, URI uri, String path,
                                                  long deadlineAt) {
        long remaining = deadlineAt - System.nanoTime();
        if (remaining <= 0) {
            request.onSuccess(HttpClientRequest::reset);
            return Future.failedFuture(failures.pastDeadline(uri, path, false));
        }
        Promise<HttpClientResponse> answered = Promise.promise();
        long timer = vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)), id -> {
            if (answered.tryFail(failures.pastDeadline(uri, path, false))) {
                request.onSuccess(HttpClientRequest::reset);
            }
        });
        request.compose(RedirectingGet::sendPausingTheResponse)
                .recover(cause -> Future.failedFuture(failures.transport(cause, uri, path)))
                .onComplete(outcome -> {
                    vertx.cancelTimer(timer);
                    if (outcome.succeeded() && !answered.tryComplete(outcome.result())) {
                        ResponseDrain.reset(outcome.result());
                    } else if (outcome.failed()) {
                        answered.tryFail(outcome.cause());
                    }
                });
        return answered.future();
    }

    /**
     * Sends {@code request} and pauses its response before any body chunk can be delivered. The pause is registered
     * on the response future before the request leaves, so it runs in the very dispatch that delivers the response
     * head. Listeners further down a future chain may run on another context, after Vert.x already delivered (and
     * dropped, for want of a handler) the first chunks.
     */
    private static Future<HttpClientResponse> sendPausingTheResponse(HttpClientRequest request) {
        request.response().onSuccess(HttpClientResponse::pause);
        return request.send();
    }

    private Future<Answer> follow(URI from, String location, String ifNoneMatch, String path, int redirects,
                                  long deadlineAt) {
        String host = UpstreamBaseUrl.display(from);
        if (redirects >= MAX_REDIRECTS) {
            return failed("upstream " + host + " redirected " + path + " more than " + MAX_REDIRECTS + " times");
        }
        URI next;
        try {
            next = from.resolve(new URI(location));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return failed("upstream " + host + " redirected " + path + " to a malformed location");
        }
        String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
        if ((!scheme.equals("http") && !scheme.equals("https")) || next.getHost() == null) {
            return failed("upstream " + host + " redirected " + path + " to a location that is not an http(s) URL");
        }
        if (from.getScheme().equalsIgnoreCase("https") && scheme.equals("http")) {
            return failed("upstream " + host + " redirected " + path + " from https to plain http; "
                    + "vreg does not follow such redirects, as the go command does not");
        }
        return attempt(next, ifNoneMatch, path, redirects + 1, deadlineAt);
    }

    private static Future<Answer> failed(String message) {
        return Future.failedFuture(new VregException(ErrorKind.UPSTREAM_UNAVAILABLE, message));
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static String hostForConnection(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String requestTarget(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }
}
