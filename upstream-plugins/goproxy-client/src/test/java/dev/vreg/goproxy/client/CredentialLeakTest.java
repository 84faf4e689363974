package dev.vreg.goproxy.client;

import static dev.vreg.testkit.upstream.ConformanceArtifacts.FAILING_ZIP;
import static dev.vreg.testkit.upstream.ConformanceArtifacts.MISSING;
import static dev.vreg.testkit.upstream.ConformanceArtifacts.ref;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.spi.ArtifactRequest;
import dev.vreg.spi.ConnectionReport;
import dev.vreg.spi.Credentials;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.testkit.upstream.Await;
import dev.vreg.testkit.upstream.BodyReader;
import dev.vreg.testkit.upstream.FixtureFailure;
import io.vertx.core.Future;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way a fetch or a connection test can fail, checked for secrets in every message of the cause chain. */
class CredentialLeakTest extends GoproxyTestSupport {

    @ParameterizedTest
    @ValueSource(strings = {"basic", "token"})
    void noMessageContainsACredential(String type) {
        Credentials credentials = type.equals("basic") ? BASIC : TOKEN;
        List<String> messages = new ArrayList<>();
        UpstreamClient client = open(fixture.baseUrl(), credentials);

        fixture.requireCredentials(Credentials.basic("someone", "else"));
        collect(messages, client.fetch(ArtifactRequest.of(MISSING)));
        report(messages, client.testConnection());
        fixture.reset();

        for (FixtureFailure failure : FixtureFailure.values()) {
            fixture.fail(FAILING_ZIP, failure);
            collect(messages, client.fetch(ArtifactRequest.of(FAILING_ZIP)).compose(BodyReader::readAll));
            fixture.fail(ref(GoproxyClient.DEFAULT_PROBE_PATH), failure);
            report(messages, client.testConnection());
        }
        fixture.answer(FAILING_ZIP.path(), 418);
        collect(messages, client.fetch(ArtifactRequest.of(FAILING_ZIP)));
        fixture.redirect(FAILING_ZIP.path(), 302, urlOf(fixture, FAILING_ZIP.path()));
        collect(messages, client.fetch(ArtifactRequest.of(FAILING_ZIP)));
        fixture.redirect(FAILING_ZIP.path(), 302, "http://127.0.0.1:" + freePort() + "/x.zip");
        collect(messages, client.fetch(ArtifactRequest.of(FAILING_ZIP)));

        UpstreamClient unreachable = open(URI.create("http://127.0.0.1:" + freePort() + "/"), credentials);
        collect(messages, unreachable.fetch(ArtifactRequest.of(MISSING)));
        report(messages, unreachable.testConnection());

        assertThat(messages).hasSizeGreaterThan(20).allSatisfy(message -> assertThat(message)
                .doesNotContain("basic-secret-4d1a77")
                .doesNotContain("token-secret-9e03bc")
                .doesNotContain(Base64.getEncoder().encodeToString(
                        "builder:basic-secret-4d1a77".getBytes(StandardCharsets.UTF_8))));
    }

    private static void collect(List<String> messages, Future<?> outcome) {
        Throwable failure = Await.failure(outcome, WAIT);
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
            messages.add(t.toString());
        }
    }

    private static void report(List<String> messages, Future<ConnectionReport> outcome) {
        ConnectionReport report = Await.result(outcome, WAIT);
        messages.add(report.message());
        messages.add(report.toString());
    }
}
