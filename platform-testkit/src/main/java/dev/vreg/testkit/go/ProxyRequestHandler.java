package dev.vreg.testkit.go;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Answers one request of a {@link StaticGoProxy}: decodes the path, counts it, applies an injected fault, and serves
 * the file under the root or a 404. Nothing here blocks the event loop: file metadata and content are read through
 * Vert.x's asynchronous file system.
 */
final class ProxyRequestHandler implements Handler<HttpServerRequest> {

    private final Vertx vertx;
    private final Path root;
    private final RequestLog log;
    private final FaultTable faults;
    private final ProxyFileSender sender;

    ProxyRequestHandler(Vertx vertx, Path root, RequestLog log, FaultTable faults) {
        this.vertx = vertx;
        this.root = root.toAbsolutePath().normalize();
        this.log = log;
        this.faults = faults;
        this.sender = new ProxyFileSender(vertx);
    }

    @Override
    public void handle(HttpServerRequest request) {
        String path;
        try {
            // The go command sends '!' as %21; the tree on disk holds the decoded, still bang-escaped names.
            path = PercentDecoding.decode(request.path());
        } catch (IllegalArgumentException e) {
            log.record(request.path(), request.headers());
            text(request, 400, e.getMessage());
            return;
        }
        log.record(path, request.headers());
        Fault fault = faults.take(path);
        long wait = fault == null ? 0 : fault.delayBefore().toMillis();
        if (wait > 0) {
            vertx.setTimer(wait, id -> respond(request, path, fault));
        } else {
            respond(request, path, fault);
        }
    }

    private void respond(HttpServerRequest request, String path, Fault fault) {
        if (request.response().closed()) {
            return;
        }
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            request.response().putHeader(HttpHeaders.ALLOW, "GET, HEAD");
            text(request, 405, "method not allowed");
            return;
        }
        if (fault != null && fault.action() == Fault.Action.STATUS) {
            fault.headers().forEach(request.response()::putHeader);
            text(request, fault.statusCode(), "injected fault: status " + fault.statusCode());
            return;
        }
        if (fault != null && fault.action() == Fault.Action.DROP_BEFORE_RESPONSE) {
            request.connection().close();
            return;
        }
        if (fault != null && fault.action() == Fault.Action.ENDLESS) {
            SlowBody.endless(vertx, request.response(), (int) fault.bodyBytes(), fault.pace(), path);
            return;
        }
        Path file = resolve(path);
        if (file == null) {
            text(request, 404, "not found: " + path);
            return;
        }
        vertx.fileSystem().props(file.toString()).onComplete(props -> {
            if (props.failed() || !props.result().isRegularFile()) {
                text(request, 404, "not found: " + path);
            } else {
                sender.send(request, file, props.result().size(), fault);
            }
        });
    }

    /** The file a decoded path names, or {@code null} when it is not a path inside the root. */
    private Path resolve(String path) {
        if (!path.startsWith("/") || path.length() == 1) {
            return null;
        }
        try {
            Path file = root.resolve(path.substring(1)).normalize();
            return file.startsWith(root) && !file.equals(root) ? file : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    static void text(HttpServerRequest request, int status, String message) {
        request.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .end(message + "\n");
    }
}
