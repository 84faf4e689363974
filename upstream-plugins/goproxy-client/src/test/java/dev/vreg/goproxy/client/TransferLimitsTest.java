package dev.vreg.goproxy.client;

import static dev.vreg.testkit.upstream.ConformanceArtifacts.FAILING_ZIP;
import static dev.vreg.testkit.upstream.ConformanceArtifacts.LARGE_ZIP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.spi.ArtifactRequest;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.TransferLimits;
import dev.vreg.spi.UpstreamResponse;
import dev.vreg.spi.VregException;
import dev.vreg.testkit.upstream.Await;
import dev.vreg.testkit.upstream.BodyReader;
import dev.vreg.testkit.upstream.FixtureFailure;
import io.vertx.core.Future;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The deadline of a whole fetch and the minimum rate of its body, on top of the read timeout. */
class TransferLimitsTest extends GoproxyTestSupport {

    private static final String ZIP = "example.com/failing/@v/v1.0.0.zip";

    @Test
    void aTricklingBodyFailsAsTooSlowAfterOneWindow() {
        fixture.fail(FAILING_ZIP, FixtureFailure.TRICKLE_BODY);
        var client = openLimited(fixture.baseUrl(), new TransferLimits(Duration.ofMinutes(1), 4096, Duration.ofSeconds(1)));
        long started = System.nanoTime();
        VregException failure = failure(client.fetch(ArtifactRequest.of(FAILING_ZIP)).compose(BodyReader::readAll));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(4));
        assertThat(failure.kind()).isEqualTo(ErrorKind.UPSTREAM_TIMEOUT);
        assertThat(failure.getMessage()).matches("upstream 127\\.0\\.0\\.1:" + fixture.baseUrl().getPort()
                + " sent only \\d+ bytes of " + ZIP.replace(".", "\\.")
                + " in 1s, below the minimum transfer rate of 4 KiB/s");
    }

    @Test
    void anEndlessBodyFailsAtTheDeadlineThoughItKeepsTheRate() {
        fixture.fail(FAILING_ZIP, FixtureFailure.ENDLESS_BODY);
        var client = openLimited(fixture.baseUrl(), new TransferLimits(Duration.ofSeconds(2), 4096, Duration.ofMillis(500)));
        long started = System.nanoTime();
        VregException failure = failure(client.fetch(ArtifactRequest.of(FAILING_ZIP))
                .compose(response -> BodyReader.verifyGenerated(response, Long.MAX_VALUE, bytes -> { })));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(5));
        assertThat(failure.kind()).isEqualTo(ErrorKind.UPSTREAM_TIMEOUT);
        assertThat(failure.getMessage()).isEqualTo("upstream 127.0.0.1:" + fixture.baseUrl().getPort()
                + " was still sending " + ZIP + " when the transfer deadline of 2s passed");
    }

    @Test
    void aConsumerHoldingTheBodyBackIsNotCountedAgainstTheRate() throws InterruptedException {
        long length = 2L << 20;
        fixture.serveGenerated(LARGE_ZIP, length);
        var client = openLimited(fixture.baseUrl(), new TransferLimits(Duration.ofMinutes(1), 1 << 20,
                Duration.ofMillis(300)));
        UpstreamResponse[] response = new UpstreamResponse[1];
        long first = Await.result(client.fetch(ArtifactRequest.of(LARGE_ZIP)).compose(r -> {
            response[0] = r;
            return BodyReader.readAtLeast(r, 64 * 1024);
        }), WAIT);

        // Three windows without asking for anything: a rate counted over that time would be far too low.
        Thread.sleep(900);

        assertThat(first + Await.result(BodyReader.readAll(response[0]), WAIT).length()).isEqualTo(length);
    }

    @Test
    void theDeadlineAlsoCoversTheWaitForAnAnswer() {
        fixture.fail(FAILING_ZIP, FixtureFailure.STALL_BEFORE_HEADERS);
        // A deadline shorter than the read timeout, so the deadline has to be what ends the wait.
        var client = openLimited(fixture.baseUrl(), new TransferLimits(Duration.ofMillis(400), 0, null));
        long started = System.nanoTime();
        VregException failure = failure(client.fetch(ArtifactRequest.of(FAILING_ZIP)));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).isBetween(Duration.ofMillis(350), READ_TIMEOUT.minusMillis(100));
        assertThat(failure.kind()).isEqualTo(ErrorKind.UPSTREAM_TIMEOUT);
        assertThat(failure.getMessage()).isEqualTo("upstream 127.0.0.1:" + fixture.baseUrl().getPort()
                + " had not answered " + ZIP + " when the transfer deadline of 400ms passed");
    }

    private static VregException failure(Future<?> outcome) {
        return (VregException) Await.failure(outcome, WAIT);
    }
}
