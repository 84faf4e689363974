package dev.vreg.host.stats;

import dev.vreg.host.storage.ManagedBlobStore;

import dev.vreg.spi.storage.BlobSource;
import dev.vreg.spi.storage.BlobStore;
import io.vertx.core.Future;
import java.nio.file.Path;

/** A blob store whose operations are counted by operation and result ({@code vreg_blobstore_operations_total}). */
public final class MeteredBlobStore implements ManagedBlobStore {

    private final ManagedBlobStore store;
    private final UsageMeters meters;

    public MeteredBlobStore(ManagedBlobStore store, UsageMeters meters) {
        this.store = store;
        this.meters = meters;
    }

    private <T> Future<T> counted(String operation, Future<T> done) {
        return done.andThen(result -> meters.blobOperation(operation, result.succeeded()));
    }

    @Override
    public Future<Path> createTemp() {
        return counted("create", store.createTemp());
    }

    @Override
    public Future<Void> commit(Path temp, String digest) {
        return counted("commit", store.commit(temp, digest));
    }

    @Override
    public Future<Void> commitHashed(Path temp, String digest) {
        return counted("commit", store.commitHashed(temp, digest));
    }

    @Override
    public Future<Void> discard(Path temp) {
        return counted("discard", store.discard(temp));
    }

    @Override
    public Future<BlobSource> open(String digest, long size) {
        return counted("open", store.open(digest, size));
    }

    @Override
    public Future<BlobSource> open(String digest, long size, long offset, long length) {
        return counted("open", store.open(digest, size, offset, length));
    }

    @Override
    public Future<Long> size(String digest) {
        return counted("size", store.size(digest));
    }

    @Override
    public Future<Void> delete(String digest) {
        return counted("delete", store.delete(digest));
    }

    @Override
    public Future<Void> probe() {
        return counted("probe", store.probe());
    }

    @Override
    public Future<java.util.List<StoredObject>> list(String after, int limit) {
        return counted("list", store.list(after, limit));
    }

    @Override
    public Future<Leftovers> removeLeftovers(java.time.Instant before) {
        return counted("removeLeftovers", store.removeLeftovers(before));
    }

    @Override
    public Future<String> downloadUrl(String digest) {
        return counted("presign", store.downloadUrl(digest));
    }

    @Override
    public void close() {
        store.close();
    }
}
