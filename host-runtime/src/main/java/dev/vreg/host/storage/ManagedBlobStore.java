package dev.vreg.host.storage;

import dev.vreg.spi.storage.BlobStore;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A {@link BlobStore} the host runs: besides the SPI's reading and writing, what readiness, collection and serving
 * need of it. The file system store and the S3 store are the two.
 */
public interface ManagedBlobStore extends BlobStore, AutoCloseable {

    /** One stored blob as the store lists it. */
    record StoredObject(String digest, long size, Instant modified) {
    }

    /** What {@link #removeLeftovers} deleted. */
    record Leftovers(int temporaryFiles, long temporaryBytes, int multipartUploads) {
        public static final Leftovers NONE = new Leftovers(0, 0, 0);
    }

    /** Fails with the store's reason when it could not take a new blob now (a full disk, an unreachable bucket). */
    Future<Void> probe();

    /** Up to {@code limit} stored blobs whose digest sorts after {@code after} ("" for the first), in digest order. */
    Future<List<StoredObject>> list(String after, int limit);

    /**
     * Deletes the temporary files and the unfinished multipart uploads begun before {@code before}: what fetches that
     * crashed or were cut off left behind.
     */
    Future<Leftovers> removeLeftovers(Instant before);

    /**
     * A URL from which a client may download the blob {@code digest} itself for a while, or {@code null} when this
     * store serves its blobs through the node.
     */
    default Future<String> downloadUrl(String digest) {
        return Future.succeededFuture(null);
    }

    /**
     * Commits {@code temp} as {@link #commit} does, for a caller that computed {@code digest} from the very bytes it
     * wrote to the file and saw all of them reach it: a store that would only hash the file again to check the
     * digest (a second read of the whole body) may take it at its word.
     */
    default Future<Void> commitHashed(Path temp, String digest) {
        return commit(temp, digest);
    }

    @Override
    default void close() {
    }
}
