package dev.vreg.testkit.storage;

import dev.vreg.spi.storage.BlobSource;
import dev.vreg.spi.storage.BlobStore;
import dev.vreg.spi.storage.MissingBlobException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.OpenOptions;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store whose blobs are read as streams, like an object store's, over a store that keeps local files (the host's
 * file system store): every {@link BlobSource.LocalFile} of the inner store is handed out as a
 * {@link BlobSource.Stream} of the whole blob, which closes its file when it ends or fails. Ranges come from
 * {@link BlobStore}'s default, so they are taken from the stream. For tests of the code that serves streamed blobs.
 */
public final class StreamingBlobStore implements BlobStore {

    private final Vertx vertx;
    private final BlobStore files;
    private final AtomicInteger openStreams = new AtomicInteger();

    /** Streams the blobs of {@code files}, opening them with {@code vertx}'s file system. */
    public StreamingBlobStore(Vertx vertx, BlobStore files) {
        this.vertx = vertx;
        this.files = files;
    }

    /**
     * How many streams handed out have not yet released their file: read to the end (also when only a range of them
     * was wanted) or failed. A test that waits for zero proves that serving a blob never leaks a stream.
     */
    public int openStreams() {
        return openStreams.get();
    }

    @Override
    public Future<Path> createTemp() {
        return files.createTemp();
    }

    @Override
    public Future<Void> commit(Path temp, String digest) {
        return files.commit(temp, digest);
    }

    @Override
    public Future<Void> discard(Path temp) {
        return files.discard(temp);
    }

    @Override
    public Future<BlobSource> open(String digest, long size) {
        return files.open(digest, size).compose(source -> {
            if (!(source instanceof BlobSource.LocalFile local)) {
                return Future.succeededFuture(source);
            }
            return vertx.fileSystem().open(local.path().toString(), new OpenOptions().setRead(true).setWrite(false)
                            .setCreate(false))
                    .recover(e -> Future.failedFuture(isNoSuchFile(e) ? new MissingBlobException(digest) : e))
                    .map(file -> {
                        file.pause();
                        openStreams.incrementAndGet();
                        return new BlobSource.Stream(new SelfClosingFile(file, openStreams::decrementAndGet), size);
                    });
        });
    }

    private static boolean isNoSuchFile(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NoSuchFileException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Future<Long> size(String digest) {
        return files.size(digest);
    }

    @Override
    public Future<Void> delete(String digest) {
        return files.delete(digest);
    }
}
