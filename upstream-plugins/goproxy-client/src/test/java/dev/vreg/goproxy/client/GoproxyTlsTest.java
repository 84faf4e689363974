package dev.vreg.goproxy.client;

import static dev.vreg.testkit.upstream.ConformanceArtifacts.TWO_MOD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.spi.ArtifactRequest;
import dev.vreg.spi.ConnectionReport;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.VregException;
import dev.vreg.testkit.go.GoproxyFixture;
import dev.vreg.testkit.upstream.Await;
import dev.vreg.testkit.upstream.BodyReader;
import io.vertx.core.http.HttpClientOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GoproxyTlsTest extends GoproxyTestSupport {

    private static final byte[] MOD = "module github.com/one/two\n".getBytes(StandardCharsets.UTF_8);
    private Path directory;
    private TestCertificate certificate;
    private GoproxyFixture tls;

    @BeforeAll
    void startTlsServer() throws Exception {
        directory = Files.createTempDirectory("goproxy-tls");
        certificate = TestCertificate.create(directory);
        tls = GoproxyFixture.startTls(certificate.keyCert());
    }

    @AfterEach
    void resetTlsServer() {
        tls.reset();
    }

    @AfterAll
    void stopTlsServer() throws Exception {
        tls.close();
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }

    @Test
    void aTrustedCertificateWorksAndTheConnectionTestSaysTls() {
        tls.serve(TWO_MOD, MOD, null);
        UpstreamClient client = trusting();
        assertThat(Await.result(client.fetch(ArtifactRequest.of(TWO_MOD)).compose(BodyReader::readAll), WAIT)
                .getBytes()).isEqualTo(MOD);

        ConnectionReport report = Await.result(client.testConnection(), WAIT);
        assertThat(report.ok()).isTrue();
        assertThat(report.tls()).isTrue();
        assertThat(report.message()).contains("over TLS");
    }

    @Test
    void anUntrustedCertificateIsReportedAsSuch() {
        UpstreamClient client = open(tls.baseUrl(), BASIC);
        VregException error = (VregException) Await.failure(client.fetch(ArtifactRequest.of(TWO_MOD)), WAIT);
        assertThat(error.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
        assertThat(error.getMessage()).contains("certificate").contains("not trusted");

        ConnectionReport report = Await.result(client.testConnection(), WAIT);
        assertThat(report.reachable()).isFalse();
        assertThat(report.tls()).isFalse();
        assertThat(report.message()).contains("not trusted");
    }

    @Test
    void aRedirectFromHttpsToHttpIsRefused() {
        fixture.serve(TWO_MOD, MOD, null);
        tls.redirect(TWO_MOD.path(), 302, urlOf(fixture, TWO_MOD.path()));
        VregException error = (VregException) Await.failure(trusting().fetch(ArtifactRequest.of(TWO_MOD)), WAIT);
        assertThat(error.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
        assertThat(error.getMessage()).contains("from https to plain http");
        assertThat(fixture.receivedTargets()).isEmpty();
    }

    @Test
    void anHttpsUrlForAPlainHttpServerSaysSo() {
        URI wrongScheme = URI.create(fixture.baseUrl().toString().replace("http://", "https://"));
        VregException error = (VregException) Await.failure(
                open(wrongScheme, null).fetch(ArtifactRequest.of(TWO_MOD)), WAIT);
        assertThat(error.getMessage()).contains("did not answer in TLS");
    }

    @Test
    void anHttpUrlForATlsServerFailsAsUnavailable() {
        URI wrongScheme = URI.create(tls.baseUrl().toString().replace("https://", "http://"));
        VregException error = (VregException) Await.failure(
                open(wrongScheme, null).fetch(ArtifactRequest.of(TWO_MOD)), WAIT);
        assertThat(error.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
        assertThat(error.getMessage()).contains(tls.baseUrl().getHost());
    }

    private UpstreamClient trusting() {
        HttpClientOptions trustingTheFixture = new HttpClientOptions().setTrustOptions(certificate.trust());
        return open(tls.baseUrl(), BASIC, GoproxyClient.DEFAULT_PROBE_PATH, trustingTheFixture);
    }
}
