package dev.vreg.host.proxy;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.vreg.host.cache.CacheEntry;
import dev.vreg.host.pull.SmallFiles;
import dev.vreg.host.registry.Registry;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.AssetKind;
import dev.vreg.spi.FormatPlugin;
import dev.vreg.spi.VregException;
import dev.vreg.spi.storage.BlobStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * Reads small artifacts of a registry into memory as its clients would receive them, before filter rules: merged
 * metadata, and content from the cache or fetched into it. Content bodies are kept by blob digest, bounded in all,
 * since content never changes; metadata is remembered by the resolver itself while it is fresh.
 */
public final class ArtifactReader {

    private static final long MAX_BODY = 16L << 20;
    private static final long KEPT_BODY = 1L << 20;
    private static final long KEPT_BYTES = 16L << 20;

    private final Vertx vertx;
    private final ArtifactService artifacts;
    private final BlobStore blobs;
    private final Cache<String, Buffer> bodies = CacheBuilder.newBuilder().maximumWeight(KEPT_BYTES)
            .<String, Buffer>weigher((digest, body) -> body.length() + 64).build();

    public ArtifactReader(Vertx vertx, ArtifactService artifacts, BlobStore blobs) {
        this.vertx = vertx;
        this.artifacts = artifacts;
        this.blobs = blobs;
    }

    public Future<Buffer> read(Registry registry, FormatPlugin format, ArtifactRef ref) {
        if (ref.kind() == AssetKind.METADATA) {
            return artifacts.metadata().resolve(registry, format, ref, Caller.TRUSTED)
                    .map(MetadataResolver.Merged::body);
        }
        return artifacts.content().resolve(registry, format, ref, null, Caller.TRUSTED)
                .compose(outcome -> body(ref, outcome.entry()));
    }

    private Future<Buffer> body(ArtifactRef ref, CacheEntry entry) {
        Buffer kept = bodies.getIfPresent(entry.blobDigest());
        if (kept != null) {
            return Future.succeededFuture(kept);
        }
        if (entry.size() > MAX_BODY) {
            return Future.failedFuture(new VregException(dev.vreg.spi.ErrorKind.TOO_LARGE, ref.path() + " is "
                    + entry.size() + " bytes, more than the " + MAX_BODY + " read for a filter rule"));
        }
        return blobs.open(entry.blobDigest(), entry.size()).compose(source -> SmallFiles.readAll(vertx, source))
                .onSuccess(body -> {
                    if (body.length() <= KEPT_BODY) {
                        bodies.put(entry.blobDigest(), body);
                    }
                });
    }
}
