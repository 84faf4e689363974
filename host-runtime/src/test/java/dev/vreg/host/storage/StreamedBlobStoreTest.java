package dev.vreg.host.storage;

import dev.vreg.spi.storage.BlobStore;
import dev.vreg.testkit.storage.BlobStoreContract;
import dev.vreg.testkit.storage.StreamingBlobStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract for blobs read as streams, as an object store hands them out: the file system store behind
 * {@link StreamingBlobStore}, so ranges go through the SPI's default of skipping and limiting a stream.
 */
class StreamedBlobStoreTest extends BlobStoreContract {

    @TempDir
    Path dir;

    @Override
    protected BlobStore store() {
        return new StreamingBlobStore(vertx(), FileSystemBlobStore.open(vertx(), dir));
    }
}
