package dev.vreg.testkit.go;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.file.Path;

/**
 * Sends a file of a {@link StaticGoProxy} tree: whole (with {@code sendFile}), headers only, cut short, or trickled.
 */
final class ProxyFileSender {

    private static final int CHUNK = 64 * 1024;

    private final Vertx vertx;

    ProxyFileSender(Vertx vertx) {
        this.vertx = vertx;
    }

    void send(HttpServerRequest request, Path file, long size, Fault fault) {
        HttpServerResponse response = request.response();
        response.putHeader(HttpHeaders.CONTENT_TYPE, contentType(file.getFileName().toString()));
        if (request.method() == HttpMethod.HEAD) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(size)).end();
        } else if (fault != null && fault.action() == Fault.Action.DROP_AFTER_BYTES) {
            sendTruncated(request, file, size, Math.min(size, fault.bodyBytes()));
        } else if (fault != null && fault.action() == Fault.Action.TRICKLE) {
            SlowBody.trickleFile(vertx, response, file, size, fault.pace());
        } else {
            response.sendFile(file.toString());
        }
    }

    /**
     * Promises the whole file in {@code Content-Length}, writes {@code limit} bytes, then closes the connection.
     * Each chunk is read only after the previous one was written to the socket, so memory stays at one chunk and
     * the client has received every promised byte before the connection closes.
     */
    private void sendTruncated(HttpServerRequest request, Path file, long size, long limit) {
        HttpServerResponse response = request.response();
        response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(size));
        vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true))
                .compose(opened -> response.writeHead()
                        .compose(v -> copy(opened, response, 0, limit))
                        .eventually(opened::close))
                .onComplete(done -> request.connection().close());
    }

    private Future<Void> copy(AsyncFile file, HttpServerResponse response, long position, long limit) {
        int length = (int) Math.min(CHUNK, limit - position);
        if (length <= 0) {
            return Future.succeededFuture();
        }
        return file.read(Buffer.buffer(length), 0, position, length).compose(chunk -> chunk.length() == 0
                ? Future.succeededFuture()
                : response.write(chunk).compose(v -> copy(file, response, position + chunk.length(), limit)));
    }

    private static String contentType(String fileName) {
        if (fileName.endsWith(".info") || fileName.equals("@latest")) {
            return "application/json";
        }
        if (fileName.endsWith(".zip")) {
            return "application/zip";
        }
        return "text/plain; charset=utf-8";
    }
}
