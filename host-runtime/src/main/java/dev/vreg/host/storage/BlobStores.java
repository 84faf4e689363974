package dev.vreg.host.storage;

import dev.vreg.host.config.VregConfig;
import dev.vreg.host.storage.s3.S3BlobStore;
import io.vertx.core.Vertx;

/** The blob store that {@code storage.type} selects: the file system (the embedded default) or an S3 bucket. */
public final class BlobStores {

    private BlobStores() {
    }

    /** Opens the configured store. Blocking (directories are prepared, a client is built). */
    public static ManagedBlobStore open(Vertx vertx, VregConfig config) {
        if ("s3".equals(config.storage.type)) {
            return S3BlobStore.open(vertx, config.storage.s3, config.s3TempDir());
        }
        return FileSystemBlobStore.open(vertx, config.blobDir());
    }

    /** Where the configured store is, for log lines: a directory or a bucket and prefix. */
    public static String describe(VregConfig config) {
        if ("s3".equals(config.storage.type)) {
            VregConfig.S3 s3 = config.storage.s3;
            return "S3 bucket " + s3.bucket + (s3.prefix == null || s3.prefix.isBlank() ? "" : " under " + s3.prefix)
                    + (s3.endpoint == null || s3.endpoint.isBlank() ? "" : " at " + s3.endpoint);
        }
        return "directory " + config.blobDir().toAbsolutePath().normalize();
    }
}
