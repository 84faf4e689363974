package dev.vreg.testkit.go;

import dev.vreg.testkit.upstream.FixtureFailure;
import dev.vreg.testkit.upstream.GeneratedBody;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers the requests of a {@link GoproxyFixture}: records them, checks credentials, applies an injected fault, then
 * serves what was programmed for the path or a file of the published tree. Nothing here blocks the event loop.
 */
final class GoproxyFixtureHandler implements Handler<HttpServerRequest> {

    private static final int CHUNK = 64 * 1024;

    /** What was programmed for one path. */
    sealed interface Route permits Served, Generated, Failing, Status, Redirect {
    }

    record Served(byte[] body, String etag) implements Route {
    }

    record Generated(long length) implements Route {
    }

    record Failing(FixtureFailure failure) implements Route {
    }

    record Status(int status, int bodyBytes) implements Route {
    }

    record Redirect(int status, String location) implements Route {
    }

    private final Vertx vertx;
    private final String prefix;
    private final Path root;
    private final ProxyFileSender files;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final FaultTable faults = new FaultTable();
    private final RequestLog log = new RequestLog();
    private final List<String> targets = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile String requiredAuthorization;
    private volatile int everything;

    GoproxyFixtureHandler(Vertx vertx, String basePath, Path root) {
        this.vertx = vertx;
        this.prefix = basePath + "/";
        this.root = root.toAbsolutePath().normalize();
        this.files = new ProxyFileSender(vertx);
    }

    /** A path as the fixture keys it: relative, percent-decoded. */
    static String normalize(String path) {
        String decoded = PercentDecoding.decode(path);
        return decoded.startsWith("/") ? decoded.substring(1) : decoded;
    }

    void route(String path, Route route) {
        routes.put(normalize(path), route);
    }

    void inject(String path, Fault fault) {
        faults.put(normalize(path), fault);
    }

    void clearFaults() {
        faults.clear();
    }

    void answerEverythingWith(int status) {
        everything = status;
    }

    void requireAuthorization(String authorization) {
        requiredAuthorization = authorization;
    }

    void connectionAccepted() {
        connections.incrementAndGet();
    }

    int connections() {
        return connections.get();
    }

    List<String> targets() {
        return List.copyOf(targets);
    }

    List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    int requestCount(String path) {
        return log.count(normalize(path));
    }

    int totalRequests() {
        return log.total();
    }

    List<String> requestedPaths() {
        return log.paths();
    }

    void resetRecords() {
        targets.clear();
        authorizations.clear();
        log.reset();
    }

    void reset() {
        routes.clear();
        faults.clear();
        requiredAuthorization = null;
        everything = 0;
        resetRecords();
    }

    @Override
    public void handle(HttpServerRequest request) {
        targets.add(request.uri());
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        authorizations.add(authorization == null ? "" : authorization);
        String path = relativePath(request.path());
        log.record(path != null ? path : request.path(), request.headers());
        HttpServerResponse response = request.response();
        if (path == null) {
            text(response, 404, "not found");
            return;
        }
        String required = requiredAuthorization;
        if (required != null && !required.equals(authorization)) {
            response.putHeader("WWW-Authenticate", "Basic realm=\"fixture\"");
            text(response, 401, "unauthorized");
            return;
        }
        int status = everything;
        if (status != 0) {
            text(response, status, "status " + status + " for every request");
            return;
        }
        Fault fault = faults.take(path);
        long wait = fault == null ? 0 : fault.delayBefore().toMillis();
        if (wait > 0) {
            vertx.setTimer(wait, id -> respond(request, path, fault));
        } else {
            respond(request, path, fault);
        }
    }

    /** The decoded path under the base path, or {@code null} when the request is outside it or malformed. */
    private String relativePath(String raw) {
        if (raw == null || !raw.startsWith(prefix)) {
            return null;
        }
        try {
            return PercentDecoding.decode(raw.substring(prefix.length()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void respond(HttpServerRequest request, String path, Fault fault) {
        HttpServerResponse response = request.response();
        if (response.closed()) {
            return;
        }
        if (fault != null && fault.action() == Fault.Action.STATUS) {
            fault.headers().forEach(response::putHeader);
            text(response, fault.statusCode(), "injected fault: status " + fault.statusCode());
            return;
        }
        if (fault != null && fault.action() == Fault.Action.DROP_BEFORE_RESPONSE) {
            request.connection().close();
            return;
        }
        if (fault != null && fault.action() == Fault.Action.ENDLESS) {
            SlowBody.endless(vertx, response, (int) fault.bodyBytes(), fault.pace(), path);
            return;
        }
        long dropAfter = fault != null && fault.action() == Fault.Action.DROP_AFTER_BYTES ? fault.bodyBytes() : -1;
        Route route = routes.get(path);
        if (route != null && fault != null && fault.action() == Fault.Action.TRICKLE
                && trickle(response, route, fault.pace())) {
            return;
        }
        if (route != null) {
            serve(request, route, dropAfter);
            return;
        }
        Path file = published(path);
        if (file == null) {
            text(response, 404, "not found: " + path);
            return;
        }
        vertx.fileSystem().props(file.toString()).onComplete(props -> {
            if (props.failed() || !props.result().isRegularFile()) {
                text(response, 404, "not found: " + path);
            } else {
                files.send(request, file, props.result().size(), fault);
            }
        });
    }

    /** Trickles a programmed body; {@code false} for a route that has none to trickle. */
    private boolean trickle(HttpServerResponse response, Route route, Duration perByte) {
        if (route instanceof Served served) {
            SlowBody.trickle(vertx, response, SlowBody.of(served.body()), served.body().length, perByte);
            return true;
        }
        if (route instanceof Generated generated) {
            SlowBody.trickle(vertx, response, SlowBody.generated(), generated.length(), perByte);
            return true;
        }
        return false;
    }

    private void serve(HttpServerRequest request, Route route, long dropAfter) {
        HttpServerResponse response = request.response();
        if (route instanceof Served served) {
            if (served.etag() != null) {
                response.putHeader(HttpHeaders.ETAG, served.etag());
                if (served.etag().equals(request.getHeader(HttpHeaders.IF_NONE_MATCH))) {
                    response.setStatusCode(304).end();
                    return;
                }
            }
            if (dropAfter >= 0) {
                int sent = (int) Math.min(dropAfter, served.body().length);
                response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(served.body().length))
                        .write(Buffer.buffer(served.body()).slice(0, sent))
                        .onComplete(written -> request.connection().close());
            } else {
                response.end(Buffer.buffer(served.body()));
            }
        } else if (route instanceof Generated generated) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(generated.length()));
            long limit = dropAfter >= 0 ? Math.min(dropAfter, generated.length()) : generated.length();
            pump(request, 0, limit, limit < generated.length());
        } else if (route instanceof Failing failing) {
            misbehave(response, failing.failure());
        } else if (route instanceof Status status && status.bodyBytes() > 0) {
            response.setStatusCode(status.status())
                    .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(status.bodyBytes()));
            pump(request, 0, status.bodyBytes(), false);
        } else if (route instanceof Status status) {
            text(response, status.status(), "status " + status.status());
        } else if (route instanceof Redirect redirect) {
            response.putHeader(HttpHeaders.LOCATION, redirect.location());
            text(response, redirect.status(), "moved");
        }
    }

    private void misbehave(HttpServerResponse response, FixtureFailure failure) {
        switch (failure) {
            case NOT_FOUND -> text(response, 404, "not found");
            case GONE -> text(response, 410, "gone");
            case SERVER_ERROR -> text(response, 500, "internal error");
            case UNAUTHORIZED -> text(response, 401, "unauthorized");
            case FORBIDDEN -> text(response, 403, "forbidden");
            case RESET_MID_BODY -> partial(response).onComplete(written -> response.reset());
            case STALL_MID_BODY -> partial(response);
            case TRICKLE_BODY -> SlowBody.trickle(vertx, response, SlowBody.generated(),
                    FixtureFailure.PARTIAL_BODY_BYTES * 4L, FixtureFailure.TRICKLE_PACE);
            case ENDLESS_BODY -> SlowBody.endless(vertx, response, FixtureFailure.ENDLESS_CHUNK_BYTES,
                    FixtureFailure.ENDLESS_PACE, "");
            case STALL_BEFORE_HEADERS -> {
                // Say nothing; the client's read timeout has to end this.
            }
        }
    }

    private static Future<Void> partial(HttpServerResponse response) {
        response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(FixtureFailure.PARTIAL_BODY_BYTES * 4));
        return response.write(GeneratedBody.chunk(0, FixtureFailure.PARTIAL_BODY_BYTES));
    }

    /**
     * Writes {@link GeneratedBody} from {@code offset} up to {@code limit} while the connection accepts more, so a
     * large body never sits in memory; then ends the response, or closes the connection when {@code cut}.
     */
    private static void pump(HttpServerRequest request, long offset, long limit, boolean cut) {
        HttpServerResponse response = request.response();
        if (response.closed()) {
            return;
        }
        long position = offset;
        while (position < limit && !response.writeQueueFull()) {
            int size = (int) Math.min(CHUNK, limit - position);
            response.write(GeneratedBody.chunk(position, size));
            position += size;
        }
        if (position >= limit) {
            if (cut) {
                response.write(Buffer.buffer()).onComplete(written -> request.connection().close());
            } else {
                response.end();
            }
            return;
        }
        long next = position;
        response.drainHandler(v -> pump(request, next, limit, cut));
    }

    /** The published file a decoded path names, or {@code null} when it is not a path inside the tree. */
    private Path published(String path) {
        if (path.isEmpty()) {
            return null;
        }
        try {
            Path file = root.resolve(path).normalize();
            return file.startsWith(root) && !file.equals(root) ? file : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static void text(HttpServerResponse response, int status, String body) {
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end(body);
    }
}
