package dev.vreg.goproxy.client;

import static dev.vreg.testkit.upstream.ConformanceArtifacts.FAILING_ZIP;
import static dev.vreg.testkit.upstream.ConformanceArtifacts.MISSING;
import static dev.vreg.testkit.upstream.ConformanceArtifacts.TWO_MOD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.ArtifactRequest;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.VregException;
import dev.vreg.testkit.go.Fault;
import dev.vreg.testkit.upstream.Await;
import dev.vreg.testkit.upstream.BodyReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class StatusMappingTest extends GoproxyTestSupport {

    @Test
    void messagesNameTheUpstreamTheStatusAndThePath() {
        fixture.answer(FAILING_ZIP.path(), 503);
        VregException error = failure(open(fixture.baseUrl(), BASIC), FAILING_ZIP);
        assertThat(error.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
        assertThat(error.getMessage()).isEqualTo("upstream 127.0.0.1:" + fixture.baseUrl().getPort()
                + " answered 503 for example.com/failing/@v/v1.0.0.zip; the upstream is failing, try again later");
    }

    @Test
    void statusesOutsideTheProtocolMakeTheUpstreamUnavailable() {
        UpstreamClient client = open(fixture.baseUrl(), null);
        fixture.answer(FAILING_ZIP.path(), 429);
        assertThat(failure(client, FAILING_ZIP).getMessage()).contains("answered 429").contains("rate");
        fixture.answer(FAILING_ZIP.path(), 418);
        VregException teapot = failure(client, FAILING_ZIP);
        assertThat(teapot.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
        assertThat(teapot.getMessage()).contains("answered 418").contains("not a GOPROXY answer");
    }

    @Test
    void aRetryAfterOnA503Or429IsCarriedByTheFailure() {
        UpstreamClient client = open(fixture.baseUrl(), null);
        fixture.inject(FAILING_ZIP.path(), Fault.status(503).header("Retry-After", "120").once());
        assertThat(failure(client, FAILING_ZIP).retryAfter()).isEqualTo(Duration.ofSeconds(120));
        fixture.inject(FAILING_ZIP.path(), Fault.status(429).header("Retry-After",
                DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusHours(1))).once());
        assertThat(failure(client, FAILING_ZIP).retryAfter()).isBetween(Duration.ofMinutes(59),
                Duration.ofMinutes(60));
        fixture.inject(FAILING_ZIP.path(), Fault.status(500).header("Retry-After", "120").once());
        assertThat(failure(client, FAILING_ZIP).retryAfter()).as("only 503 and 429 say when to retry").isNull();
        fixture.inject(FAILING_ZIP.path(), Fault.status(503).header("Retry-After", "soon").once());
        assertThat(failure(client, FAILING_ZIP).retryAfter()).isNull();
        fixture.inject(FAILING_ZIP.path(), Fault.status(503).once());
        assertThat(failure(client, FAILING_ZIP).retryAfter()).isNull();
    }

    @Test
    void notModifiedWithoutARevalidationIsNotASuccess() {
        fixture.answer(FAILING_ZIP.path(), 304);
        VregException error = failure(open(fixture.baseUrl(), null), FAILING_ZIP);
        assertThat(error.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
        assertThat(error.getMessage()).contains("answered 304");
    }

    @Test
    void shortErrorBodiesAreDrainedSoTheConnectionIsReused() {
        UpstreamClient client = open(fixture.baseUrl(), null);
        int before = fixture.connectionsAccepted();
        for (int i = 0; i < 20; i++) {
            assertThat(failure(client, MISSING).kind()).isEqualTo(ErrorKind.NOT_FOUND);
        }
        // A connection goes back to the pool a moment after its answer is reported, so a request sent at once may
        // open a second one; without draining, every request would need its own.
        assertThat(fixture.connectionsAccepted() - before).isLessThanOrEqualTo(3);
    }

    @Test
    void longErrorBodiesAreCutOffAndTheClientCarriesOn() {
        fixture.answer(FAILING_ZIP.path(), 500, 4 << 20);
        fixture.serve(TWO_MOD, "module github.com/one/two\n".getBytes(StandardCharsets.UTF_8), null);
        UpstreamClient client = open(fixture.baseUrl(), null);
        int before = fixture.connectionsAccepted();

        assertThat(failure(client, FAILING_ZIP).kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
        assertThat(Await.result(client.fetch(ArtifactRequest.of(TWO_MOD)).compose(BodyReader::readAll), WAIT)
                .toString()).isEqualTo("module github.com/one/two\n");
        assertThat(fixture.connectionsAccepted() - before).as("the cut-off connection was not reused").isEqualTo(2);
    }

    private static VregException failure(UpstreamClient client, ArtifactRef ref) {
        return (VregException) Await.failure(client.fetch(ArtifactRequest.of(ref)), WAIT);
    }
}
