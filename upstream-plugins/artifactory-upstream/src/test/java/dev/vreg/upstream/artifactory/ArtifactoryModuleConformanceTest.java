package dev.vreg.upstream.artifactory;

import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamConfig;
import dev.vreg.testkit.upstream.Await;
import dev.vreg.testkit.upstream.ModuleSource;
import dev.vreg.testkit.upstream.TestPluginContext;
import dev.vreg.testkit.upstream.UpstreamModuleConformance;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;

/** The module-level upstream conformance suite against Artifactory played by WireMock. */
class ArtifactoryModuleConformanceTest extends UpstreamModuleConformance {

    private final Vertx vertx = Vertx.vertx();

    @Override
    protected String kind() {
        return ArtifactoryUpstreamPlugin.KIND;
    }

    @Override
    protected ModuleSource startSource() {
        return ArtifactoryFixture.start();
    }

    @Override
    protected JsonObject settings() {
        return new JsonObject().put("repository", ArtifactoryFixture.REPOSITORY);
    }

    @Override
    protected UpstreamClient openClient(UpstreamConfig config) {
        return new ArtifactoryUpstreamPlugin().open(config, new TestPluginContext(vertx));
    }

    @AfterAll
    void closeVertx() {
        Await.result(vertx.close(), WAIT);
    }
}
