package dev.vreg.testkit.go;

import dev.vreg.go.module.ModuleEscaping;
import dev.vreg.testkit.upstream.GeneratedBody;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The bodies of {@link Fault#trickle} and {@link Fault#endlessBody}: sent on a timer, one piece at a time, for as
 * long as the client keeps the connection open. Nothing is held in memory beyond the piece being sent.
 */
final class SlowBody {

    /** Reads {@code length} bytes of a body at {@code position}. */
    @FunctionalInterface
    interface Source {
        Future<Buffer> read(long position, int length);
    }

    private SlowBody() {
    }

    /** A body held in memory. */
    static Source of(byte[] body) {
        return (position, length) -> Future.succeededFuture(Buffer.buffer(body).slice((int) position,
                (int) position + length));
    }

    /** The {@link GeneratedBody} sequence. */
    static Source generated() {
        return (position, length) -> Future.succeededFuture(GeneratedBody.chunk(position, length));
    }

    /** Trickles {@code file}, opened now and closed when the body ends or the client goes away. */
    static void trickleFile(Vertx vertx, HttpServerResponse response, Path file, long size, Duration perByte) {
        vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true)).onComplete(opened -> {
            if (opened.failed()) {
                response.setStatusCode(500).end("cannot open " + file.getFileName());
                return;
            }
            AsyncFile handle = opened.result();
            trickle(vertx, response, (position, length) -> handle.read(Buffer.buffer(length), 0, position, length),
                    size, perByte).onComplete(done -> handle.close());
        });
    }

    /**
     * Declares {@code size} bytes, then sends them one every {@code perByte}; completes when the body ended or the
     * client closed the connection. Each byte is sent from a timer of its own rather than by chaining futures, so a
     * long trickle does not build a chain that would overflow the stack when it completes.
     */
    static Future<Void> trickle(Vertx vertx, HttpServerResponse response, Source source, long size,
                                Duration perByte) {
        Promise<Void> done = Promise.promise();
        response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(size));
        response.writeHead().onComplete(head -> nextByte(vertx, response, source, 0, size, perByte.toMillis(), done));
        return done.future();
    }

    private static void nextByte(Vertx vertx, HttpServerResponse response, Source source, long position, long size,
                                 long perByteMillis, Promise<Void> done) {
        if (response.closed()) {
            done.tryComplete();
        } else if (position >= size) {
            response.end().onComplete(ended -> done.tryComplete());
        } else {
            vertx.setTimer(perByteMillis, id -> {
                if (response.closed()) {
                    done.tryComplete();
                    return;
                }
                source.read(position, 1).compose(response::write).onComplete(written -> {
                    if (written.failed()) {
                        done.tryComplete();
                    } else {
                        nextByte(vertx, response, source, position + 1, size, perByteMillis, done);
                    }
                });
            });
        }
    }

    /**
     * Answers 200 with a chunked body of {@link GeneratedBody} bytes, {@code chunkBytes} every {@code every}, that
     * never ends; a tick is skipped while the client is behind, so an unread body does not pile up in memory. The body
     * of a module zip ({@code path} ending in {@code .zip}) starts as a zip does, with the local header of a stored
     * file larger than anything it will send, so that a reader checking it as it arrives finds nothing wrong.
     */
    static void endless(Vertx vertx, HttpServerResponse response, int chunkBytes, Duration every, String path) {
        response.setStatusCode(200).setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/octet-stream");
        if (path.endsWith(".zip")) {
            response.write(zipHead(path));
        }
        long[] position = {0};
        long timer = vertx.setPeriodic(every.toMillis(), id -> {
            if (response.closed()) {
                vertx.cancelTimer(id);
            } else if (!response.writeQueueFull()) {
                response.write(GeneratedBody.chunk(position[0], chunkBytes));
                position[0] += chunkBytes;
            }
        });
        response.closeHandler(v -> vertx.cancelTimer(timer));
    }

    /** The local header of a stored file of 400 MiB named {@code <module>@<version>/endless.bin}. */
    private static Buffer zipHead(String path) {
        int at = path.lastIndexOf("/@v/");
        String module = ModuleEscaping.unescapePath(path.substring(path.startsWith("/") ? 1 : 0, at));
        String version = ModuleEscaping.unescapeVersion(path.substring(at + 4, path.length() - ".zip".length()));
        byte[] name = (module + "@" + version + "/endless.bin").getBytes(StandardCharsets.UTF_8);
        ByteBuffer head = ByteBuffer.allocate(30 + name.length).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(0x04034b50).putShort((short) 20).putShort((short) 0x800).putShort((short) 0).putInt(0)
                .putInt(0).putInt(400 << 20).putInt(400 << 20).putShort((short) name.length).putShort((short) 0)
                .put(name);
        return Buffer.buffer(head.array());
    }
}
