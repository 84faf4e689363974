package dev.vreg.spi.storage;

import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import java.nio.file.Path;

/**
 * Immutable bytes addressed by their sha256 digest: the host's cache content. One store serves every registry of a
 * node (and, for a shared backend, every node); two cache entries with the same bytes share one blob.
 *
 * <p>Writing is two-phase, so a failed, partial or refused download never becomes visible: the host streams an
 * incoming body into a local temporary file from {@link #createTemp()}, hashes it on the way, validates it, and only
 * then {@link #commit commits} it under its digest, or {@link #discard discards} it. Reading hands out a
 * {@link BlobSource}: a local file the host may serve with zero-copy {@code sendFile}, or a stream.
 *
 * <p>Every method returns at once and never blocks the calling event loop; file-system or network work runs
 * asynchronously. Digests are 64 lower-case hex characters; any other string is refused with an
 * {@link IllegalArgumentException}. Implementations must be safe for concurrent use, and pass
 * {@code platform-testkit}'s {@code dev.vreg.testkit.storage.BlobStoreContract}.
 */
public interface BlobStore {

    /**
     * A fresh, empty temporary file for an incoming body, on the local file system, where {@link #commit} can take
     * it over cheaply. It stays invisible to readers until it is committed.
     */
    Future<Path> createTemp();

    /**
     * Makes the complete temporary file {@code temp} the blob {@code digest}, in one atomic step: a reader sees
     * either no blob or all of its bytes, never a part. The store checks that the file's bytes hash to
     * {@code digest}; when they do not, the commit fails with a {@link VregException} of kind
     * {@link ErrorKind#INTERNAL} (the caller hashed something else), nothing is stored under either digest and
     * {@code temp} is left for {@link #discard}. Committing a digest that is already stored succeeds (the bytes are
     * the same) and drops the temporary file, so concurrent fetches of the same content may both commit. After a
     * successful commit {@code temp} is gone.
     */
    Future<Void> commit(Path temp, String digest);

    /** Deletes a temporary file that will not be committed; succeeds if it is already gone. */
    Future<Void> discard(Path temp);

    /**
     * Opens the blob {@code digest} of {@code size} bytes (the size recorded when it was committed) for reading.
     * Fails with {@link MissingBlobException} when the store does not have it; a {@link BlobSource.LocalFile} may be
     * handed out without looking first, and its absence then shows when the file is opened, which the reader
     * reports as the same exception.
     */
    Future<BlobSource> open(String digest, long size);

    /**
     * Opens the {@code length} bytes of the blob {@code digest} that start at {@code offset}, for a range request.
     * A {@link BlobSource.LocalFile} is the whole file, from which the reader takes the range; a
     * {@link BlobSource.Stream} delivers only the range ({@link BlobSource.Stream#offset()} is {@code offset},
     * {@link BlobSource.Stream#length()} is {@code length}). This default opens the whole blob and, for a stream,
     * skips to the range and ends after it; a store that can read a range itself (an HTTP {@code Range} request to
     * an object store) overrides it. Missing blobs fail as in {@link #open(String, long)}.
     *
     * @throws IllegalArgumentException when the range is empty or not inside the blob
     */
    default Future<BlobSource> open(String digest, long size, long offset, long length) {
        if (length <= 0 || offset < 0 || offset > size - length) {
            throw new IllegalArgumentException("bytes " + offset + " to " + (offset + length - 1)
                    + " are not inside a blob of " + size + " bytes");
        }
        return open(digest, size).map(source -> source instanceof BlobSource.Stream stream
                ? stream.range(offset, length)
                : source);
    }

    /** The size in bytes of the stored blob {@code digest}; fails with {@link MissingBlobException} if it is missing. */
    Future<Long> size(String digest);

    /** Deletes a stored blob; succeeds if it is already gone. Readers that already opened it may fail. */
    Future<Void> delete(String digest);
}
