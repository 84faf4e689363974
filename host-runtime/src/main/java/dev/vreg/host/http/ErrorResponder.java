package dev.vreg.host.http;

import dev.vreg.spi.VregException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders a {@link Failure} for package clients: its status and a one-line {@code text/plain} body that the go
 * command prints as "server response". A 401 challenges for Basic credentials (the go command then asks GOAUTH or
 * {@code .netrc}); a 405 names the methods the package endpoints answer; a failure that says when to try again
 * (an upstream's {@code Retry-After}) passes it on. Never a 200, never a stack trace, never a credential.
 */
public final class ErrorResponder {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);

    /** The methods every package endpoint answers. */
    public static final String PULL_METHODS = "GET, HEAD";

    private ErrorResponder() {
    }

    public static void send(HttpServerResponse response, Throwable cause) {
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            // Part of a body is already out: breaking the connection is the only honest signal left.
            response.reset();
            return;
        }
        Failure failure = Failure.of(cause);
        if (failure.status() >= 500 && cause instanceof VregException) {
            LOG.warn("{} {}", failure.status(), failure.detail());
        }
        response.headers().clear();
        response.setStatusCode(failure.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        if (failure.status() == 401) {
            response.putHeader("WWW-Authenticate", "Basic realm=\"vreg\"");
        } else if (failure.status() == 405) {
            response.putHeader(HttpHeaders.ALLOW, PULL_METHODS);
        }
        if (failure.retryAfter() != null) {
            response.putHeader(HttpHeaders.RETRY_AFTER, failure.retryAfterSeconds());
        }
        response.end(oneLine(failure.detail()) + "\n");
    }

    /** The go command stops printing at the first blank line and after 8 lines; keep it to one. */
    private static String oneLine(String message) {
        String single = message == null ? "error" : message.replaceAll("[\\r\\n]+", " ").strip();
        return single.length() > 600 ? single.substring(0, 600) : single;
    }
}
