package dev.vreg.spi.storage;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;

/**
 * How to read a stored blob that {@link BlobStore#open} handed out: a local file or a stream.
 *
 * <p>Ranges: a reader serves any byte range of a {@link LocalFile} straight from the file (offset and length); a
 * {@link Stream} always delivers the whole blob from its first byte, so a range is taken from it by skipping and
 * limiting.
 */
public sealed interface BlobSource {

    /** The size of the whole blob in bytes. */
    long size();

    /**
     * A blob on the local file system, served with zero-copy {@code sendFile}. The file never changes while it
     * exists; a missing file means the blob is missing ({@link MissingBlobException}).
     */
    record LocalFile(Path path, String digest, long size) implements BlobSource {
    }

    /**
     * A blob read from a store that has no local file (an object store): a paused stream of all {@link #size()}
     * bytes, to be read exactly once. A stream that breaks off fails with the store's error.
     */
    record Stream(ReadStream<Buffer> body, long size) implements BlobSource {
    }
}
