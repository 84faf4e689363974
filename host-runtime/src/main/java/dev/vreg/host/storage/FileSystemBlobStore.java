package dev.vreg.host.storage;

import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import dev.vreg.spi.storage.BlobSource;
import dev.vreg.spi.storage.MissingBlobException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileProps;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.time.Instant;
import java.nio.file.NoSuchFileException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Blobs as files under {@code <root>/sha256/<2 hex>/<digest>}; temporary files under {@code <root>/tmp} on the same
 * filesystem, so a commit is one atomic rename.
 */
public final class FileSystemBlobStore implements ManagedBlobStore {

    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");
    private static final int HASH_BUFFER = 256 * 1024;
    /** One page: the least a new blob needs. */
    private static final int PROBE_BYTES = 4096;

    private final Vertx vertx;
    private final FileSystem fs;
    private final Path root;
    private final Path tmp;
    private final TempFiles temps;

    private FileSystemBlobStore(Vertx vertx, Path root, TempFiles temps) {
        this.vertx = vertx;
        this.fs = vertx.fileSystem();
        this.root = root;
        this.tmp = root.resolve("tmp");
        this.temps = temps;
    }

    /** Creates the directories and removes temporary files a previous run left behind. Blocking. */
    public static FileSystemBlobStore open(Vertx vertx, Path root) {
        Path absolute = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute.resolve("sha256"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare blob directory " + absolute, e);
        }
        return new FileSystemBlobStore(vertx, absolute, TempFiles.open(vertx, absolute.resolve("tmp")));
    }

    public Path root() {
        return root;
    }

    Path pathOf(String digest) {
        return pathOf(root, digest);
    }

    /** Where the store rooted at {@code root} keeps the blob {@code digest}. */
    static Path pathOf(Path root, String digest) {
        if (!DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("not a sha256 digest: " + digest);
        }
        return root.resolve("sha256").resolve(digest.substring(0, 2)).resolve(digest);
    }

    /**
     * Writes a small file among the temporary files, flushes it to disk and deletes it, the way every fetch begins;
     * fails with the file system's error when the store could not take a new blob now (a full or read-only disk).
     */
    public Future<Void> probe() {
        String probe = tmp.resolve("probe-" + UUID.randomUUID() + ".part").toString();
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

    @Override
    public Future<Path> createTemp() {
        Path temp = tmp.resolve(UUID.randomUUID() + ".part");
        return fs.createFile(temp.toString()).map(temp);
    }

    /**
     * Hashes the file again before the rename (on a worker thread; one sequential read of a file just written, so
     * mostly from the page cache): a blob stored under a wrong digest would be served forever as that content.
     */
    @Override
    public Future<Void> commit(Path temp, String digest) {
        Path target = pathOf(digest);
        return vertx.executeBlocking(() -> sha256Hex(temp), false).compose(actual -> {
            if (!actual.equals(digest)) {
                return Future.failedFuture(new VregException(ErrorKind.INTERNAL, "the bytes committed as blob "
                        + digest + " hash to " + actual + "; nothing was stored"));
            }
            return move(temp, target);
        });
    }

    /** Only the rename: the caller's digest is of the bytes it wrote, so the file is not read again. */
    @Override
    public Future<Void> commitHashed(Path temp, String digest) {
        return move(temp, pathOf(digest));
    }

    /** The directory and the rename in one task on a worker thread: one hop off the event loop, not two. */
    private Future<Void> move(Path temp, Path target) {
        return vertx.executeBlocking(() -> {
            Files.createDirectories(target.getParent());
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return null;
        }, false);
    }

    @Override
    public Future<Void> discard(Path temp) {
        return fs.exists(temp.toString()).compose(exists -> exists ? fs.delete(temp.toString()) : Future.succeededFuture());
    }

    /**
     * No existence check here: serving opens the file anyway ({@code sendFile} opens it before the status line is
     * written), and a missing file surfaces there as a {@link MissingBlobException}.
     */
    @Override
    public Future<BlobSource> open(String digest, long size) {
        return Future.succeededFuture(new BlobSource.LocalFile(pathOf(digest), digest, size));
    }

    @Override
    public Future<Long> size(String digest) {
        Path path = pathOf(digest);
        return fs.exists(path.toString()).compose(exists -> exists
                ? fs.props(path.toString()).map(FileProps::size)
                : Future.failedFuture(new MissingBlobException(digest)));
    }

    /** Walks {@code sha256/<2 hex>/} in order on a worker thread. */
    @Override
    public Future<List<StoredObject>> list(String after, int limit) {
        String from = after == null ? "" : after;
        return vertx.executeBlocking(() -> {
            List<StoredObject> found = new ArrayList<>();
            Path base = root.resolve("sha256");
            List<Path> dirs;
            try (var listed = Files.list(base)) {
                dirs = listed.filter(Files::isDirectory).sorted().toList();
            }
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (from.length() >= 2 && name.compareTo(from.substring(0, 2)) < 0) {
                    continue;
                }
                List<Path> files;
                try (var listed = Files.list(dir)) {
                    files = listed.filter(p -> DIGEST.matcher(p.getFileName().toString()).matches()
                            && p.getFileName().toString().compareTo(from) > 0).sorted().toList();
                }
                for (Path file : files) {
                    try {
                        found.add(new StoredObject(file.getFileName().toString(), Files.size(file),
                                Files.getLastModifiedTime(file).toInstant()));
                    } catch (NoSuchFileException gone) {
                        continue;
                    }
                    if (found.size() == limit) {
                        return found;
                    }
                }
            }
            return found;
        }, false);
    }

    @Override
    public Future<Leftovers> removeLeftovers(Instant before) {
        return temps.removeOlderThan(before);
    }

    @Override
    public Future<Void> delete(String digest) {
        Path path = pathOf(digest);
        return fs.exists(path.toString()).compose(exists -> exists ? fs.delete(path.toString()) : Future.succeededFuture());
    }

    static String sha256Hex(Path file) throws IOException, NoSuchAlgorithmException {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        ByteBuffer buffer = ByteBuffer.allocate(HASH_BUFFER);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                sha256.update(buffer);
                buffer.clear();
            }
        }
        return HexFormat.of().formatHex(sha256.digest());
    }
}
