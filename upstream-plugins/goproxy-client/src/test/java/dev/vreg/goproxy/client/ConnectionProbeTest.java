package dev.vreg.goproxy.client;

import static dev.vreg.testkit.upstream.ConformanceArtifacts.ref;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.spi.ConnectionReport;
import dev.vreg.spi.Credentials;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.testkit.upstream.Await;
import dev.vreg.testkit.upstream.FixtureFailure;
import io.vertx.core.http.HttpClientOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectionProbeTest extends GoproxyTestSupport {

    private static final String DEFAULT_PROBE = GoproxyClient.DEFAULT_PROBE_PATH;

    @Test
    void theDefaultProbeIsAModuleListThatCannotExist() {
        ConnectionReport report = probe(null);
        assertThat(fixture.receivedTargets()).containsExactly("/goproxy/vreg.invalid/probe/@v/list");
        assertThat(report.ok()).isTrue();
        assertThat(report.tls()).isFalse();
        assertThat(report.latencyMillis()).isGreaterThanOrEqualTo(0);
        assertThat(report.message()).startsWith("Reached upstream 127.0.0.1:").contains("answered 404");
    }

    @Test
    void theProbePathIsRequestedEscapedLikeAnyArtifact() {
        fixture.serve(ref("github.com/!acme/private/@v/list"), "v1.0.0\n".getBytes(StandardCharsets.UTF_8), null);
        UpstreamClient client = open(fixture.baseUrl(), BASIC, "github.com/!acme/private/@v/list",
                new HttpClientOptions());
        ConnectionReport report = Await.result(client.testConnection(), WAIT);
        assertThat(fixture.receivedTargets()).containsExactly("/goproxy/github.com/%21acme/private/@v/list");
        assertThat(report.ok()).isTrue();
        assertThat(report.message()).contains("answered 200").contains("with the configured credentials");
    }

    @Test
    void goneCountsAsAWorkingUpstream() {
        fixture.fail(ref(DEFAULT_PROBE), FixtureFailure.GONE);
        assertThat(probe(null).ok()).isTrue();
    }

    @Test
    void refusedCredentialsAreNamedAsSuch() {
        fixture.requireCredentials(Credentials.basic("builder", "the-right-one"));
        ConnectionReport report = probe(BASIC);
        assertThat(report.reachable()).isTrue();
        assertThat(report.authenticated()).isFalse();
        assertThat(report.message()).contains("the upstream refused the configured credentials (401)");

        fixture.fail(ref(DEFAULT_PROBE), FixtureFailure.FORBIDDEN);
        fixture.requireCredentials(BASIC);
        assertThat(probe(BASIC).message()).contains("the upstream refused the configured credentials (403)");
    }

    @Test
    void missingCredentialsAreNamedAsSuch() {
        fixture.requireCredentials(BASIC);
        ConnectionReport report = probe(null);
        assertThat(report.ok()).isFalse();
        assertThat(report.reachable()).isTrue();
        assertThat(report.message()).contains("the upstream requires credentials (401)");
    }

    @Test
    void aFailingUpstreamIsReachableButNotOk() {
        fixture.answer(DEFAULT_PROBE, 503);
        ConnectionReport report = probe(null);
        assertThat(report.reachable()).isTrue();
        assertThat(report.ok()).isFalse();
        assertThat(report.message()).contains("answered 503").contains("failing");

        fixture.answer(DEFAULT_PROBE, 418);
        assertThat(probe(null).message()).contains("not a GOPROXY answer");
    }

    @Test
    void silenceIsReportedAsATimeoutAfterTheReadTimeout() {
        fixture.fail(ref(DEFAULT_PROBE), FixtureFailure.STALL_BEFORE_HEADERS);
        long start = System.nanoTime();
        ConnectionReport report = probe(null);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(READ_TIMEOUT, READ_TIMEOUT.plusSeconds(4));
        assertThat(report.reachable()).isFalse();
        assertThat(report.latencyMillis()).isEqualTo(-1);
        assertThat(report.message()).contains("sent no answer within 1s");
    }

    @Test
    void aRefusedConnectionIsReportedWithWhatToCheck() {
        URI refused = URI.create("http://127.0.0.1:" + freePort() + "/");
        ConnectionReport report = Await.result(open(refused, null).testConnection(), WAIT);
        assertThat(report.reachable()).isFalse();
        assertThat(report.message()).startsWith("Upstream 127.0.0.1:").contains("refused the connection")
                .contains("check the URL's host and port");
    }

    @Test
    void aClosedClientReportsInsteadOfFailing() {
        UpstreamClient client = open(fixture.baseUrl(), null);
        client.close();
        client.close();
        ConnectionReport report = Await.result(client.testConnection(), WAIT);
        assertThat(report.ok()).isFalse();
        assertThat(report.message()).contains("closed");
    }

    private ConnectionReport probe(Credentials credentials) {
        return Await.result(open(fixture.baseUrl(), credentials).testConnection(), WAIT);
    }
}
