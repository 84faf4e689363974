package dev.vreg.upstream.artifactory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.spi.ArtifactRequest;
import dev.vreg.spi.Credentials;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamConfig;
import dev.vreg.testkit.upstream.Await;
import dev.vreg.testkit.upstream.BodyReader;
import dev.vreg.testkit.upstream.ConformanceArtifacts;
import dev.vreg.testkit.upstream.TestPluginContext;
import dev.vreg.testkit.upstream.UpstreamClientConformance;
import dev.vreg.testkit.upstream.UpstreamFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The byte-level upstream conformance suite against Artifactory played by WireMock, with an access token, which
 * Artifactory takes as {@code Authorization: Bearer}.
 */
class ArtifactoryClientConformanceTest extends UpstreamClientConformance {

    private final Vertx vertx = Vertx.vertx();

    @Override
    protected String kind() {
        return ArtifactoryUpstreamPlugin.KIND;
    }

    @Override
    protected UpstreamFixture startFixture() {
        return ArtifactoryFixture.start();
    }

    @Override
    protected JsonObject settings() {
        return new JsonObject().put("repository", ArtifactoryFixture.REPOSITORY);
    }

    @Override
    protected Credentials validCredentials() {
        return Credentials.token("cmVmdGtuOjAxOjE3NjQ2OTk5OTk6conformance");
    }

    @Override
    protected UpstreamClient openClient(UpstreamConfig config) {
        return new ArtifactoryUpstreamPlugin().open(config, new TestPluginContext(vertx));
    }

    @Test
    void requestsGoToTheRepositorysGoApi() {
        fetch(client(), ArtifactRequest.of(ConformanceArtifacts.TWO_MOD));
        assertThat(fixture().receivedTargets())
                .contains("/artifactory/api/go/go-virtual/github.com/one/two/@v/v1.1.0.mod");
    }

    @Test
    void aUserWithAnIdentityTokenIsSentAsBasic() {
        Credentials user = Credentials.basic("ci-bot", "identity-token-88e1f0");
        fixture().requireCredentials(user);
        UpstreamClient client = client(fixture().baseUrl(), user);
        assertThat(Await.result(client.fetch(ArtifactRequest.of(ConformanceArtifacts.TWO_LIST))
                .compose(BodyReader::readAll), WAIT).getBytes())
                .isEqualTo(ConformanceArtifacts.small().get(ConformanceArtifacts.TWO_LIST));
        assertThat(Await.result(client.testConnection(), WAIT).ok()).isTrue();
    }

    @AfterAll
    void closeVertx() {
        Await.result(vertx.close(), WAIT);
    }
}
