package dev.vreg.upstream.athens;

import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamConfig;
import dev.vreg.testkit.go.GoproxyFixture;
import dev.vreg.testkit.upstream.Await;
import dev.vreg.testkit.upstream.ModuleSource;
import dev.vreg.testkit.upstream.TestPluginContext;
import dev.vreg.testkit.upstream.UpstreamModuleConformance;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;

/** The module-level upstream conformance suite against Athens played by a GOPROXY fixture with its endpoints. */
class AthensModuleConformanceTest extends UpstreamModuleConformance {

    private final Vertx vertx = Vertx.vertx();

    @Override
    protected String kind() {
        return AthensUpstreamPlugin.KIND;
    }

    @Override
    protected ModuleSource startSource() {
        return new ReprogrammedAfterReset(GoproxyFixture.start());
    }

    @Override
    protected UpstreamClient openClient(UpstreamConfig config) {
        return new AthensUpstreamPlugin().open(config, new TestPluginContext(vertx));
    }

    @AfterAll
    void closeVertx() {
        Await.result(vertx.close(), WAIT);
    }
}
