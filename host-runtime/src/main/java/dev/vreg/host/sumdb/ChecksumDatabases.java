package dev.vreg.host.sumdb;

import dev.vreg.host.proxy.ContentGate;
import dev.vreg.host.upstream.UpstreamClients;
import dev.vreg.spi.FormatPlugin;
import dev.vreg.spi.storage.BlobStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/**
 * The checksum database domain as the rest of the host sees it: the pull stage that passes databases through, the
 * gate that verifies content before it is cached, and the settings cache to drop when the configuration changes.
 */
public final class ChecksumDatabases {

    private final ChecksumSettingsDirectory settings;
    private final ChecksumDbReader reader;
    private final ChecksumGate gate;
    private final MeterRegistry meters;

    /**
     * @param http the client for databases configured with a URL, bound by the host's address rules
     */
    public ChecksumDatabases(Vertx vertx, ChecksumStore store, BlobStore blobs, UpstreamClients clients,
                             HttpClient http, Clock clock, MeterRegistry meters) {
        this.settings = new ChecksumSettingsDirectory(store);
        this.reader = new ChecksumDbReader(vertx, store, blobs, clients, http, clock, meters);
        this.gate = new ChecksumGate(settings, reader, store, meters);
        this.meters = meters;
    }

    /** The pull stage for {@code format}'s checksum database paths; other paths go on to the next stage. */
    public Handler<RoutingContext> passThrough(FormatPlugin format) {
        return new ChecksumDbPassThrough(format, settings, reader, meters);
    }

    public ContentGate gate() {
        return gate;
    }

    /** Drops the cached settings; called whenever the configuration changes anywhere. */
    public void forgetSettings() {
        settings.invalidateAll();
    }
}
