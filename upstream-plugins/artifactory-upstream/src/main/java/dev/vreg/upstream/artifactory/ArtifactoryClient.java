package dev.vreg.upstream.artifactory;

import dev.vreg.goproxy.client.GoproxyClient;
import dev.vreg.spi.ArtifactRequest;
import dev.vreg.spi.ConnectionReport;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamResponse;
import io.vertx.core.Future;

/** One Artifactory Go repository: fetches through its Go API, connection tests through Artifactory's REST API. */
final class ArtifactoryClient implements UpstreamClient {

    private final GoproxyClient goApi;
    private final ArtifactoryProbe probe;

    ArtifactoryClient(GoproxyClient goApi, ArtifactoryLocation location, boolean hasCredentials) {
        this.goApi = goApi;
        this.probe = new ArtifactoryProbe(goApi, location, hasCredentials);
    }

    @Override
    public Future<UpstreamResponse> fetch(ArtifactRequest request) {
        return goApi.fetch(request);
    }

    @Override
    public Future<ConnectionReport> testConnection() {
        return probe.run();
    }

    @Override
    public void close() {
        goApi.close();
    }
}
