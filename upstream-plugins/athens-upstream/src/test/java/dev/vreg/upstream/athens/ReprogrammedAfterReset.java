package dev.vreg.upstream.athens;

import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.Credentials;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoproxyFixture;
import dev.vreg.testkit.upstream.FixtureFailure;
import dev.vreg.testkit.upstream.ModuleSource;
import dev.vreg.testkit.upstream.UpstreamFixture;
import java.net.URI;
import java.util.List;

/** A GOPROXY fixture whose Athens endpoints ({@link AthensFixture}) come back after every reset of the suites. */
final class ReprogrammedAfterReset implements UpstreamFixture, ModuleSource {

    private final GoproxyFixture proxy;

    ReprogrammedAfterReset(GoproxyFixture proxy) {
        this.proxy = AthensFixture.healthy(proxy);
    }

    @Override
    public URI baseUrl() {
        return proxy.baseUrl();
    }

    @Override
    public ReprogrammedAfterReset publish(GoModule... versions) {
        proxy.publish(versions);
        return this;
    }

    @Override
    public void answerEverythingWith(int status) {
        proxy.answerEverythingWith(status);
    }

    @Override
    public void serve(ArtifactRef ref, byte[] body, String etag) {
        proxy.serve(ref, body, etag);
    }

    @Override
    public void serveGenerated(ArtifactRef ref, long length) {
        proxy.serveGenerated(ref, length);
    }

    @Override
    public void fail(ArtifactRef ref, FixtureFailure failure) {
        proxy.fail(ref, failure);
    }

    @Override
    public void requireCredentials(Credentials credentials) {
        proxy.requireCredentials(credentials);
    }

    @Override
    public List<String> receivedTargets() {
        return proxy.receivedTargets();
    }

    @Override
    public void reset() {
        proxy.reset();
        AthensFixture.healthy(proxy);
    }

    @Override
    public void close() {
        proxy.close();
    }
}
