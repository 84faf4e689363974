package dev.vreg.host.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers a request the HTTP decoder could not read (a broken request line or version, bad headers) with its status
 * and a one-line reason instead of Vert.x's empty one, and closes the connection: what follows on it cannot be read.
 */
final class InvalidRequests {

    private InvalidRequests() {
    }

    static void answer(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        int status;
        String reason;
        if (cause instanceof TooLongHttpLineException) {
            status = 414;
            reason = "the request line is too long";
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = 431;
            reason = "the request headers are too large";
        } else {
            status = 400;
            reason = "the request is not valid HTTP/1.1";
        }
        request.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(reason + "\n");
        request.connection().close();
    }
}
