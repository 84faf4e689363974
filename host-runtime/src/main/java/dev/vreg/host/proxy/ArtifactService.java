package dev.vreg.host.proxy;

import dev.vreg.host.cache.CacheRepository;
import dev.vreg.host.cluster.AdvisoryLocks;
import dev.vreg.host.storage.StorageFailures;
import dev.vreg.host.upstream.Upstream;
import dev.vreg.host.upstream.UpstreamClients;
import dev.vreg.spi.storage.BlobStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The resolvers the package endpoints use, wired once per node; {@code waited} is told of each request that shared
 * a fetch already in flight.
 */
public final class ArtifactService {

    private final ContentResolver content;
    private final MetadataResolver metadata;

    public ArtifactService(Vertx vertx, UpstreamClients clients, BlobStore blobs, StorageFailures storage,
                           CacheRepository cache, Clock clock, Duration notFoundValidity, long maxMetadataBytes,
                           int anonymousMissesPerMinute, MeterRegistry meters, ContentGate gate,
                           Consumer<Upstream> waited) {
        this(vertx, clients, blobs, storage, cache, clock, notFoundValidity, maxMetadataBytes,
                anonymousMissesPerMinute, meters, gate, waited, null, null);
    }

    /**
     * @param locks      the advisory locks that make a fetch happen once across all nodes on the database, or
     *                   {@code null} for once per node
     * @param fleetWait  how long a node waits for another node's fetch of the same file before fetching it too
     */
    public ArtifactService(Vertx vertx, UpstreamClients clients, BlobStore blobs, StorageFailures storage,
                           CacheRepository cache, Clock clock, Duration notFoundValidity, long maxMetadataBytes,
                           int anonymousMissesPerMinute, MeterRegistry meters, ContentGate gate,
                           Consumer<Upstream> waited, AdvisoryLocks locks, Duration fleetWait) {
        UpstreamCall.Layer<ContentResolver.Outcome> fleet = locks == null ? null
                : new FleetFlight<>(vertx, locks, cache, clock, fleetWait,
                        (ask, entry) -> {
                            waited.accept(ask.upstream());
                            return new ContentResolver.Outcome(entry, false, ContentResolver.Source.WAITED);
                        });
        this.content = new ContentResolver(cache, new ContentFetcher(vertx, clients, blobs, cache, storage, meters, gate),
                clock, notFoundValidity, anonymousMissesPerMinute, gate, waited, fleet);
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
