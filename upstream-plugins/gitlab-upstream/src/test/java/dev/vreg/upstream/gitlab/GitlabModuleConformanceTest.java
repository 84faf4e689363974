package dev.vreg.upstream.gitlab;

import dev.vreg.spi.Credentials;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamConfig;
import dev.vreg.testkit.gitlab.GitLabModuleSource;
import dev.vreg.testkit.gitlab.GitLabStandIn;
import dev.vreg.testkit.upstream.Await;
import dev.vreg.testkit.upstream.ModuleSource;
import dev.vreg.testkit.upstream.TestPluginContext;
import dev.vreg.testkit.upstream.UpstreamModuleConformance;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;

/**
 * The module-level upstream conformance suite against the GitLab stand-in: the module's versions are tagged commits
 * of a project, and every answer, the zip included, is made from git through the API.
 */
class GitlabModuleConformanceTest extends UpstreamModuleConformance {

    private static final Credentials TOKEN = Credentials.token("glpat-module-conformance-77b0e2");

    private final Vertx vertx = Vertx.vertx();

    @Override
    protected String kind() {
        return GitlabUpstreamPlugin.KIND;
    }

    @Override
    protected ModuleSource startSource() {
        return GitLabModuleSource.start(TOKEN.token());
    }

    @Override
    protected String modulePrefix() {
        return GitLabStandIn.MODULE_HOST + "/conformance";
    }

    @Override
    protected JsonObject settings() {
        return GitlabClientSupport.hostHint();
    }

    @Override
    protected Credentials validCredentials() {
        return TOKEN;
    }

    @Override
    protected UpstreamClient openClient(UpstreamConfig config) {
        return new GitlabUpstreamPlugin().open(config, new TestPluginContext(vertx));
    }

    @AfterAll
    void closeVertx() {
        Await.result(vertx.close(), WAIT);
    }
}
