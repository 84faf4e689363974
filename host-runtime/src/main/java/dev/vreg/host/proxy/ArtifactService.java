package dev.vreg.host.proxy;

import dev.vreg.host.cache.CacheRepository;
import dev.vreg.host.storage.StorageFailures;
import dev.vreg.host.upstream.UpstreamClients;
import dev.vreg.spi.storage.BlobStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;

/** The resolvers the package endpoints use, wired once per node. */
public final class ArtifactService {

    private final ContentResolver content;
    private final MetadataResolver metadata;

    public ArtifactService(Vertx vertx, UpstreamClients clients, BlobStore blobs, StorageFailures storage,
                           CacheRepository cache, Clock clock, Duration notFoundValidity, long maxMetadataBytes,
                           int anonymousMissesPerMinute, MeterRegistry meters, ContentGate gate) {
        this.content = new ContentResolver(cache, new ContentFetcher(vertx, clients, blobs, cache, storage, meters, gate),
                clock, notFoundValidity, anonymousMissesPerMinute);
        this.metadata = new MetadataResolver(clients, cache, clock, notFoundValidity, maxMetadataBytes,
                anonymousMissesPerMinute);
    }

    public ContentResolver content() {
        return content;
    }

    public MetadataResolver metadata() {
        return metadata;
    }
}
