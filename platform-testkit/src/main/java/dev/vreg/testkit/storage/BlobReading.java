package dev.vreg.testkit.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.spi.storage.BlobSource;
import dev.vreg.testkit.upstream.Await;
import dev.vreg.testkit.upstream.GeneratedBody;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How {@link BlobStoreContract} writes bodies and reads {@link BlobSource}s: a local file through Vert.x's
 * asynchronous file system, as the host streams it, and a stream as it comes.
 */
final class BlobReading {

    private static final Duration WAIT = BlobStoreContract.WAIT;
    private static final int CHUNK = 64 * 1024;

    private final Vertx vertx;

    BlobReading(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Every byte {@code source} delivers, for small blobs. */
    byte[] readAll(BlobSource source) {
        return readRange(source, 0, source.size());
    }

    /** The bytes {@code offset} to {@code offset + length - 1} of the blob, read from {@code source}. */
    byte[] readRange(BlobSource source, long offset, long length) {
        Buffer collected = Buffer.buffer();
        Await.result(consume(source, offset, length, (position, chunk) -> collected.appendBuffer(chunk)), WAIT);
        return collected.getBytes();
    }

    /**
     * Reads the bytes {@code offset} to {@code offset + length - 1} of a blob written by {@link #writeGenerated}
     * from {@code source}, checking each chunk against {@link GeneratedBody}; returns how many bytes arrived.
     */
    long verifyGenerated(BlobSource source, long offset, long length) {
        return Await.result(consume(source, offset, length, (position, chunk) ->
                assertThat(GeneratedBody.firstMismatch(position, chunk)).as("first wrong byte").isEqualTo(-1)), WAIT);
    }

    /** {@code source} as a stream of the whole blob: a local file is opened and closes itself at its end. */
    BlobSource.Stream asStream(BlobSource source) {
        if (source instanceof BlobSource.Stream stream) {
            return stream;
        }
        BlobSource.LocalFile local = (BlobSource.LocalFile) source;
        AsyncFile file = Await.result(open(local.path()), WAIT);
        file.pause();
        return new BlobSource.Stream(new SelfClosingFile(file), local.size());
    }

    private interface ChunkCheck {
        void accept(long position, Buffer chunk);
    }

    private Future<Long> consume(BlobSource source, long offset, long length, ChunkCheck check) {
        if (source instanceof BlobSource.Stream stream) {
            assertThat(stream.offset()).as("first byte of the stream").isEqualTo(offset);
            assertThat(stream.length()).as("bytes in the stream").isEqualTo(length);
            return drain(stream.body(), offset, check);
        }
        BlobSource.LocalFile local = (BlobSource.LocalFile) source;
        return open(local.path()).compose(file -> {
            file.pause();
            file.setReadPos(offset).setReadLength(length);
            return drain(file, offset, check).eventually(file::close);
        });
    }

    private Future<AsyncFile> open(Path path) {
        return vertx.fileSystem().open(path.toString(), new OpenOptions().setRead(true).setWrite(false)
                .setCreate(false));
    }

    private Future<Long> drain(ReadStream<Buffer> body, long offset, ChunkCheck check) {
        Promise<Long> done = Promise.promise();
        AtomicLong position = new AtomicLong(offset);
        body.exceptionHandler(done::tryFail);
        body.endHandler(v -> done.tryComplete(position.get() - offset));
        body.handler(chunk -> {
            try {
                check.accept(position.getAndAdd(chunk.length()), chunk);
            } catch (AssertionError e) {
                done.tryFail(e);
            }
        });
        body.resume();
        return done.future();
    }

    /**
     * Writes {@code length} bytes of {@link GeneratedBody} from {@code offset} into {@code file} in chunks, never
     * holding the body; returns the sha256 of what was written.
     */
    static String writeGenerated(Path file, long offset, long length) throws IOException {
        MessageDigest sha256 = sha256();
        byte[] chunk = new byte[CHUNK];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long written = 0; written < length; ) {
                int size = (int) Math.min(CHUNK, length - written);
                GeneratedBody.fill(offset + written, chunk, 0, size);
                sha256.update(chunk, 0, size);
                ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, size);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                written += size;
            }
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** The lower-case hex sha256 of {@code bytes}. */
    static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
