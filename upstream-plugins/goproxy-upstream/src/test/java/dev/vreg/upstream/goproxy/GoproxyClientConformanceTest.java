package dev.vreg.upstream.goproxy;

import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamConfig;
import dev.vreg.testkit.go.GoproxyFixture;
import dev.vreg.testkit.upstream.Await;
import dev.vreg.testkit.upstream.TestPluginContext;
import dev.vreg.testkit.upstream.UpstreamClientConformance;
import dev.vreg.testkit.upstream.UpstreamFixture;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;

/** The upstream-client conformance suite against a GOPROXY fixture, with Basic credentials configured. */
class GoproxyClientConformanceTest extends UpstreamClientConformance {

    private final Vertx vertx = Vertx.vertx();

    @Override
    protected String kind() {
        return GoproxyUpstreamPlugin.KIND;
    }

    @Override
    protected UpstreamFixture startFixture() {
        return GoproxyFixture.start();
    }

    @Override
    protected UpstreamClient openClient(UpstreamConfig config) {
        return new GoproxyUpstreamPlugin().open(config, new TestPluginContext(vertx));
    }

    // The fixture runs on its own Vert.x instance, so closing the clients' one first is safe.
    @AfterAll
    void closeVertx() {
        Await.result(vertx.close(), WAIT);
    }
}
