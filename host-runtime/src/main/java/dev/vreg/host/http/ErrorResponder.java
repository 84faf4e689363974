package dev.vreg.host.http;

import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP answers for the package endpoints: a status from the {@link ErrorKind}
 * and a short {@code text/plain} body that the go command prints as "server response". Never a 200, never a
 * stack trace, never a credential.
 */
public final class ErrorResponder {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);

    private ErrorResponder() {
    }

    public static int status(ErrorKind kind) {
        return switch (kind) {
            case NOT_FOUND -> 404;
            case GONE -> 410;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case INVALID -> 400;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case UPSTREAM_UNAVAILABLE, UPSTREAM_INVALID -> 502;
            case INTERNAL -> 500;
        };
    }

    public static void send(HttpServerResponse response, Throwable failure) {
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            // Part of a body is already out: breaking the connection is the only honest signal left.
            response.reset();
            return;
        }
        int status;
        String message;
        if (failure instanceof VregException e) {
            status = status(e.kind());
            message = e.getMessage();
            if (status >= 500) {
                LOG.warn("{} {}", status, message);
            }
        } else {
            status = 500;
            message = "internal error";
            LOG.error("Unexpected failure", failure);
        }
        response.headers().clear();
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(oneLine(message) + "\n");
    }

    /** The go command stops printing at the first blank line and after 8 lines; keep it to one. */
    private static String oneLine(String message) {
        String single = message == null ? "error" : message.replaceAll("[\\r\\n]+", " ").strip();
        return single.length() > 600 ? single.substring(0, 600) : single;
    }
}
