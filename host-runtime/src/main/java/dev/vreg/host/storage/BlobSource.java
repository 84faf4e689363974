package dev.vreg.host.storage;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;

/** How to read a stored blob: a local file (served with zero-copy sendFile) or a stream. */
public sealed interface BlobSource {

    long size();

    /** A blob on the local filesystem. */
    record LocalFile(Path path, String digest, long size) implements BlobSource {
    }

    /** A blob read from a remote store; the stream is paused. */
    record Stream(ReadStream<Buffer> body, long size) implements BlobSource {
    }
}
