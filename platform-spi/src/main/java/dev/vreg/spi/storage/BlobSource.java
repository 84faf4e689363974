package dev.vreg.spi.storage;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;

/**
 * How to read a stored blob that {@link BlobStore#open} handed out: a local file or a stream.
 *
 * <p>Ranges: a reader serves any byte range of a {@link LocalFile} straight from the file (offset and length). A
 * {@link Stream} delivers the bytes {@link Stream#offset()} to {@link Stream#offset()} + {@link Stream#length()} - 1
 * of the blob, the whole blob unless it was opened for a range; {@link Stream#range} narrows it further.
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
     * A blob read from a store that has no local file (an object store): a paused stream, to be read exactly once,
     * of the {@code length} bytes of the blob that start at {@code offset}. The store releases what the stream holds
     * (a connection, a file handle) when it ends or fails; a stream that breaks off fails with the store's error.
     *
     * @param body   the bytes, paused
     * @param size   the size of the whole blob
     * @param offset the position in the blob of the first byte of {@code body}
     * @param length how many bytes {@code body} delivers
     */
    record Stream(ReadStream<Buffer> body, long size, long offset, long length) implements BlobSource {

        public Stream {
            if (offset < 0 || length < 0 || offset > size - length) {
                throw new IllegalArgumentException("bytes " + offset + " to " + (offset + length - 1)
                        + " are not inside a blob of " + size + " bytes");
            }
        }

        /** The whole blob. */
        public Stream(ReadStream<Buffer> body, long size) {
            this(body, size, 0, size);
        }

        /**
         * The {@code length} bytes of the blob from {@code offset}, taken from this stream by skipping the bytes
         * before them and ending after them. What follows the range is still read, and dropped, so that the store's
         * stream reaches its end and releases what it holds; a store that can read a range itself does so in
         * {@link BlobStore#open(String, long, long, long)} instead. Use either this stream or the returned one,
         * not both.
         *
         * @throws IllegalArgumentException when the range is empty or not inside the bytes this stream delivers
         */
        public Stream range(long offset, long length) {
            if (length <= 0 || offset < this.offset || offset - this.offset > this.length - length) {
                throw new IllegalArgumentException("bytes " + offset + " to " + (offset + length - 1)
                        + " are not inside bytes " + this.offset + " to " + (this.offset + this.length - 1));
            }
            if (offset == this.offset && length == this.length) {
                return this;
            }
            return new Stream(new RangeReadStream(body, offset - this.offset, length, this.length), size, offset,
                    length);
        }
    }
}
