package dev.vreg.upstream.athens;

import dev.vreg.goproxy.client.GoproxyClient;
import dev.vreg.spi.ArtifactRequest;
import dev.vreg.spi.AssetKind;
import dev.vreg.spi.ConnectionReport;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamResponse;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * One Athens proxy. A version file (CONTENT) that Athens answers 404 for is asked again as often as the settings say:
 * in the async download mode that 404 means "fetching it now". Lists and {@code @latest} are never retried: Athens
 * answers them from its storage and the origin together, so their 404 is final.
 */
final class AthensClient implements UpstreamClient {

    private final GoproxyClient goproxy;
    private final AthensSettings settings;
    private final Vertx vertx;
    private final AthensProbe probe;

    AthensClient(GoproxyClient goproxy, AthensSettings settings, Vertx vertx, boolean hasCredentials) {
        this.goproxy = goproxy;
        this.settings = settings;
        this.vertx = vertx;
        this.probe = new AthensProbe(goproxy, hasCredentials);
    }

    @Override
    public Future<UpstreamResponse> fetch(ArtifactRequest request) {
        return attempt(request, 0);
    }

    private Future<UpstreamResponse> attempt(ArtifactRequest request, int retried) {
        return goproxy.fetch(request).recover(failure -> {
            boolean fetching = VregException.is(failure, ErrorKind.NOT_FOUND)
                    && request.ref().kind() == AssetKind.CONTENT;
            if (!fetching || retried >= settings.asyncRetries()) {
                return Future.failedFuture(retried == 0 ? failure : new VregException(ErrorKind.NOT_FOUND,
                        failure.getMessage() + " (asked " + (retried + 1) + " times, "
                                + settings.asyncDelay().toMillis() + " ms apart)", failure));
            }
            Promise<UpstreamResponse> next = Promise.promise();
            vertx.setTimer(settings.asyncDelay().toMillis(), id -> attempt(request, retried + 1).onComplete(next));
            return next.future();
        });
    }

    @Override
    public Future<ConnectionReport> testConnection() {
        return probe.run();
    }

    @Override
    public void close() {
        goproxy.close();
    }
}
