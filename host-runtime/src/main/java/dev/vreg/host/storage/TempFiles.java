package dev.vreg.host.storage;

import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/**
 * The local temporary files of a blob store: {@code <uuid>.part} in one directory, created empty, hashed again before a
 * commit, deleted by age when a crashed or cut-off fetch left them.
 */
public final class TempFiles {

    /** One page: the least a new blob needs. */
    private static final int PROBE_BYTES = 4096;

    private final Vertx vertx;
    private final Path dir;

    private TempFiles(Vertx vertx, Path dir) {
        this.vertx = vertx;
        this.dir = dir;
    }

    /** Creates {@code dir} and removes what a previous run left in it. Blocking. */
    public static TempFiles open(Vertx vertx, Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute);
            try (var leftovers = Files.list(absolute)) {
                for (Path p : (Iterable<Path>) leftovers::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare directory " + absolute, e);
        }
        return new TempFiles(vertx, absolute);
    }

    public Path dir() {
        return dir;
    }

    public Future<Path> create() {
        Path temp = dir.resolve(UUID.randomUUID() + ".part");
        return vertx.fileSystem().createFile(temp.toString()).map(temp);
    }

    public Future<Void> delete(Path temp) {
        return vertx.fileSystem().exists(temp.toString())
                .compose(exists -> exists ? vertx.fileSystem().delete(temp.toString()) : Future.succeededFuture());
    }

    /**
     * Hashes {@code temp} on a worker thread and answers its size when its bytes hash to {@code digest}; otherwise
     * fails with {@link ErrorKind#INTERNAL}, leaving the file.
     */
    public Future<Long> verify(Path temp, String digest) {
        return vertx.executeBlocking(() -> {
            String actual = FileSystemBlobStore.sha256Hex(temp);
            if (!actual.equals(digest)) {
                throw new VregException(ErrorKind.INTERNAL, "the bytes committed as blob " + digest + " hash to "
                        + actual + "; nothing was stored");
            }
            return Files.size(temp);
        }, false);
    }

    /** Writes a small file, flushes it to disk and deletes it, the way every fetch begins. */
    public Future<Void> probe() {
        String probe = dir.resolve("probe-" + UUID.randomUUID() + ".part").toString();
        var fs = vertx.fileSystem();
        return fs.open(probe, new OpenOptions().setWrite(true).setCreateNew(true))
                .compose(file -> file.write(Buffer.buffer(new byte[PROBE_BYTES])).compose(v -> file.flush())
                        .transform(written -> file.close().transform(closed -> written.failed() ? outcome(written)
                                : outcome(closed))))
                .transform(done -> fs.delete(probe).transform(deleted -> done.failed() || deleted.succeeded()
                        ? outcome(done) : outcome(deleted)));
    }

    private static Future<Void> outcome(AsyncResult<Void> result) {
        return result.succeeded() ? Future.succeededFuture() : Future.failedFuture(result.cause());
    }

    /** Deletes the temporary files last written before {@code before}; a fetch still writing one touches it. */
    public Future<ManagedBlobStore.Leftovers> removeOlderThan(Instant before) {
        return vertx.executeBlocking(() -> {
            int files = 0;
            long bytes = 0;
            try (var listed = Files.list(dir)) {
                for (Path p : (Iterable<Path>) listed::iterator) {
                    try {
                        if (Files.getLastModifiedTime(p).toInstant().isBefore(before)) {
                            long size = Files.size(p);
                            if (Files.deleteIfExists(p)) {
                                files++;
                                bytes += size;
                            }
                        }
                    } catch (NoSuchFileException gone) {
                        // Committed or discarded meanwhile.
                    }
                }
            }
            return new ManagedBlobStore.Leftovers(files, bytes, 0);
        }, false);
    }
}
