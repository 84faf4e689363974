package dev.vreg.testkit.upstream;

import static dev.vreg.testkit.upstream.ConformanceArtifacts.BURNT_SUSHI_MOD;
import static dev.vreg.testkit.upstream.ConformanceArtifacts.FAILING_ZIP;
import static dev.vreg.testkit.upstream.ConformanceArtifacts.LARGE_ZIP;
import static dev.vreg.testkit.upstream.ConformanceArtifacts.MISSING;
import static dev.vreg.testkit.upstream.ConformanceArtifacts.ONE_LIST;
import static dev.vreg.testkit.upstream.ConformanceArtifacts.TWO_LIST;
import static dev.vreg.testkit.upstream.ConformanceArtifacts.TWO_MOD;
import static dev.vreg.testkit.upstream.ConformanceArtifacts.TWO_OTHER_LIST;
import static dev.vreg.testkit.upstream.ConformanceArtifacts.TWO_V2_LIST;
import static dev.vreg.testkit.upstream.ConformanceArtifacts.etagOf;
import static dev.vreg.testkit.upstream.ConformanceChecks.assertFailsWith;
import static dev.vreg.testkit.upstream.ConformanceChecks.assertNoSecrets;
import static dev.vreg.testkit.upstream.ConformanceChecks.retainedHeap;
import static dev.vreg.testkit.upstream.ConformanceChecks.timed;
import static dev.vreg.testkit.upstream.ConformanceChecks.withRefusingPort;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.ArtifactRequest;
import dev.vreg.spi.ConnectionReport;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.TransferLimits;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamResponse;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite every upstream plugin's client test extends, in the spirit of Athens' storage compliance
 * tests: one set of behaviours, checked the same way against every upstream kind.
 *
 * <h2>How to extend it</h2>
 * Implement the three abstract methods of {@link UpstreamConformanceSupport}:
 * <ol>
 *   <li>{@link #kind()}: the plugin's kind id;
 *   <li>{@link #startFixture()}: start a fake server of your kind on a loopback address and return it as an
 *       {@link UpstreamFixture}: {@link dev.vreg.testkit.go.GoproxyFixture} for a GOPROXY-speaking server, a
 *       WireMock server for GitLab or Artifactory. It maps each {@link ArtifactRef} the suite programs onto the URL
 *       your client requests for it;
 *   <li>{@link #openClient}: open your plugin's client for the configuration the suite passes, with a
 *       {@link TestPluginContext}.
 * </ol>
 * Override {@link #settings()} when your kind needs settings (a project id, a repository name), and
 * {@link #validCredentials()} when it only understands one kind of credentials. Add kind-specific regressions as
 * further {@code @Test} methods in the subclass.
 *
 * <pre>{@code
 * class AcmeClientConformanceTest extends UpstreamClientConformance {
 *     private final Vertx vertx = Vertx.vertx();
 *
 *     protected String kind() { return "acme"; }
 *     protected UpstreamFixture startFixture() { return AcmeFixture.start(vertx); }
 *     protected UpstreamClient openClient(UpstreamConfig config) {
 *         return new AcmeUpstreamPlugin().open(config, new TestPluginContext(vertx));
 *     }
 * }
 * }</pre>
 *
 * <p>The suite never skips: a fixture that cannot produce a {@link FixtureFailure} must fail the test that asks for
 * it. The large-body test is meant to pass at {@code -Xmx256m}; run the subclass with that heap to prove streaming.
 */
public abstract class UpstreamClientConformance extends UpstreamConformanceSupport {

    /** The size of the generated body in {@link #largeBodyStreamsWithoutGrowingTheHeap()}. */
    public static final long LARGE_BODY_BYTES = 64L << 20;

    /** The window of the minimum-rate tests; shorter than {@link #DEADLINE}, longer than the read timeout. */
    public static final Duration RATE_WINDOW = Duration.ofMillis(1500);

    /** The transfer deadline of the endless-body test. */
    public static final Duration DEADLINE = Duration.ofSeconds(3);

    @Test
    void servesEachKnownArtifactWithItsExactBytesLengthAndEtag() {
        UpstreamClient client = client();
        for (Map.Entry<ArtifactRef, byte[]> file : ConformanceArtifacts.small().entrySet()) {
            Fetched fetched = fetch(client, ArtifactRequest.of(file.getKey()));
            assertThat(fetched.response().notModified()).isFalse();
            assertThat(fetched.body().getBytes()).as(file.getKey().path()).isEqualTo(file.getValue());
            assertThat(fetched.response().contentLength()).as(file.getKey().path()).isEqualTo(file.getValue().length);
            assertThat(fetched.response().etag()).as(file.getKey().path()).isEqualTo(etagOf(file.getKey()));
        }
    }

    @Test
    void revalidationWithTheCurrentEtagIsNotModified() {
        UpstreamClient client = client();
        UpstreamResponse response = Await.result(client.fetch(new ArtifactRequest(TWO_LIST, etagOf(TWO_LIST))), WAIT);
        assertThat(response.notModified()).isTrue();
        response.discard();
        response.discard();

        Fetched changed = fetch(client, new ArtifactRequest(TWO_LIST, "\"an-older-copy\""));
        assertThat(changed.response().notModified()).isFalse();
        assertThat(changed.body().getBytes()).isEqualTo(ConformanceArtifacts.small().get(TWO_LIST));
    }

    @Test
    void unknownArtifactIsNotFound() {
        assertFailsWith(client().fetch(ArtifactRequest.of(MISSING)), ErrorKind.NOT_FOUND, WAIT, secrets());
    }

    @Test
    void artifactTheUpstreamRemovedIsGone() {
        fixture().fail(FAILING_ZIP, FixtureFailure.GONE);
        assertFailsWith(client().fetch(ArtifactRequest.of(FAILING_ZIP)), ErrorKind.GONE, WAIT, secrets());
    }

    @Test
    void upstreamNotFoundHookIsNotFound() {
        fixture().fail(FAILING_ZIP, FixtureFailure.NOT_FOUND);
        assertFailsWith(client().fetch(ArtifactRequest.of(FAILING_ZIP)), ErrorKind.NOT_FOUND, WAIT, secrets());
    }

    @Test
    void serverErrorMakesTheUpstreamUnavailable() {
        fixture().fail(FAILING_ZIP, FixtureFailure.SERVER_ERROR);
        assertFailsWith(client().fetch(ArtifactRequest.of(FAILING_ZIP)), ErrorKind.UPSTREAM_UNAVAILABLE, WAIT,
                secrets());
    }

    @Test
    void refusalOfKnownCredentialsIsForbidden() {
        fixture().fail(FAILING_ZIP, FixtureFailure.FORBIDDEN);
        assertFailsWith(client().fetch(ArtifactRequest.of(FAILING_ZIP)), ErrorKind.FORBIDDEN, WAIT, secrets());
    }

    @Test
    void credentialsTheUpstreamRejectsAreUnauthorized() {
        fixture().requireCredentials(validCredentials());
        assertFailsWith(client(fixture().baseUrl(), wrongCredentials()).fetch(ArtifactRequest.of(TWO_MOD)),
                ErrorKind.UNAUTHORIZED, WAIT, secrets());
        assertFailsWith(client(fixture().baseUrl(), null).fetch(ArtifactRequest.of(TWO_MOD)),
                ErrorKind.UNAUTHORIZED, WAIT, secrets());
        assertThat(fetch(client(), ArtifactRequest.of(TWO_MOD)).body().getBytes())
                .isEqualTo(ConformanceArtifacts.small().get(TWO_MOD));
    }

    @Test
    void unauthorizedAnswerIsUnauthorizedWhateverWasSent() {
        fixture().fail(FAILING_ZIP, FixtureFailure.UNAUTHORIZED);
        assertFailsWith(client().fetch(ArtifactRequest.of(FAILING_ZIP)), ErrorKind.UNAUTHORIZED, WAIT, secrets());
    }

    @Test
    void refusedConnectionFailsQuickly() {
        UpstreamClient client = client(withRefusingPort(fixture().baseUrl()), validCredentials());
        Duration took = timed(() -> assertFailsWith(client.fetch(ArtifactRequest.of(TWO_MOD)),
                ErrorKind.UPSTREAM_UNAVAILABLE, WAIT, secrets()));
        assertThat(took).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void connectionResetMidBodyFailsTheBodyStream() {
        fixture().fail(FAILING_ZIP, FixtureFailure.RESET_MID_BODY);
        AtomicBoolean answered = new AtomicBoolean();
        Future<?> body = client().fetch(ArtifactRequest.of(FAILING_ZIP)).compose(response -> {
            answered.set(true);
            return BodyReader.readAll(response);
        });
        assertFailsWith(body, ErrorKind.UPSTREAM_UNAVAILABLE, WAIT, secrets());
        assertThat(answered).as("the fetch succeeded before the body failed").isTrue();
    }

    @Test
    void silenceBeforeTheAnswerTimesOutAfterTheReadTimeout() {
        fixture().fail(FAILING_ZIP, FixtureFailure.STALL_BEFORE_HEADERS);
        UpstreamClient client = client();
        Duration took = timed(() -> assertFailsWith(client.fetch(ArtifactRequest.of(FAILING_ZIP)),
                ErrorKind.UPSTREAM_TIMEOUT, WAIT, secrets()));
        assertThat(took).isBetween(READ_TIMEOUT.multipliedBy(9).dividedBy(10), READ_TIMEOUT.plusSeconds(4));
    }

    @Test
    void silenceMidBodyTimesOutAfterTheReadTimeout() {
        fixture().fail(FAILING_ZIP, FixtureFailure.STALL_MID_BODY);
        UpstreamClient client = client();
        Duration took = timed(() -> assertFailsWith(
                client.fetch(ArtifactRequest.of(FAILING_ZIP)).compose(BodyReader::readAll),
                ErrorKind.UPSTREAM_TIMEOUT, WAIT, secrets()));
        assertThat(took).isBetween(READ_TIMEOUT.multipliedBy(9).dividedBy(10), READ_TIMEOUT.plusSeconds(4));
    }

    @Test
    void aTricklingBodyTimesOutAfterOneWindowBelowTheMinimumRate() {
        fixture().fail(FAILING_ZIP, FixtureFailure.TRICKLE_BODY);
        UpstreamClient client = client(new TransferLimits(WAIT, 4096, RATE_WINDOW));
        Duration took = timed(() -> assertFailsWith(
                client.fetch(ArtifactRequest.of(FAILING_ZIP)).compose(BodyReader::readAll),
                ErrorKind.UPSTREAM_TIMEOUT, WAIT, secrets()));
        assertThat(took).isBetween(RATE_WINDOW.multipliedBy(9).dividedBy(10), RATE_WINDOW.plusSeconds(4));
    }

    @Test
    void anEndlessBodyTimesOutAtTheTransferDeadline() {
        fixture().fail(FAILING_ZIP, FixtureFailure.ENDLESS_BODY);
        // No minimum rate: on a busy machine the endless body may run slow for a window, which is another test's cause.
        UpstreamClient client = client(new TransferLimits(DEADLINE, 0, RATE_WINDOW));
        Duration took = timed(() -> assertFailsWith(
                client.fetch(ArtifactRequest.of(FAILING_ZIP)).compose(BodyReader::readAll),
                ErrorKind.UPSTREAM_TIMEOUT, WAIT, secrets()));
        assertThat(took).isBetween(DEADLINE.multipliedBy(9).dividedBy(10), DEADLINE.plusSeconds(4));
    }

    @Test
    void aBodyTheHostHoldsBackIsNotTooSlow() throws InterruptedException {
        fixture().serveGenerated(LARGE_ZIP, 4L << 20);
        UpstreamClient client = client(new TransferLimits(WAIT, 1 << 20, RATE_WINDOW));
        UpstreamResponse[] response = new UpstreamResponse[1];
        long first = Await.result(client.fetch(ArtifactRequest.of(LARGE_ZIP)).compose(r -> {
            response[0] = r;
            return BodyReader.readAtLeast(r, 64 * 1024);
        }), WAIT);
        // Longer than a window and than the read timeout, without asking for more: neither may count it.
        Thread.sleep(RATE_WINDOW.plus(READ_TIMEOUT).toMillis());
        assertThat(first + Await.result(BodyReader.readAll(response[0]), WAIT).length()).isEqualTo(4L << 20);
    }

    @Test
    void modulePathsSharingAPrefixAreDistinct() {
        UpstreamClient client = client();
        Map<ArtifactRef, byte[]> files = ConformanceArtifacts.small();
        for (ArtifactRef ref : List.of(TWO_LIST, TWO_OTHER_LIST, TWO_V2_LIST)) {
            assertThat(fetch(client, ArtifactRequest.of(ref)).body().getBytes()).as(ref.path())
                    .isEqualTo(files.get(ref));
        }
        assertFailsWith(client.fetch(ArtifactRequest.of(ONE_LIST)), ErrorKind.NOT_FOUND, WAIT, secrets());
    }

    @Test
    void bangEscapedPathsArePercentEncodedOnTheWire() {
        Fetched fetched = fetch(client(), ArtifactRequest.of(BURNT_SUSHI_MOD));
        assertThat(fetched.body().getBytes()).isEqualTo(ConformanceArtifacts.small().get(BURNT_SUSHI_MOD));
        assertThat(fixture().receivedTargets())
                .anySatisfy(target -> assertThat(target).contains("%21burnt%21sushi/toml/@v/v1.3.2.mod"))
                .noneSatisfy(target -> assertThat(target).contains("!"));
    }

    @Test
    void largeBodyStreamsWithoutGrowingTheHeap() {
        fixture().serveGenerated(LARGE_ZIP, LARGE_BODY_BYTES);
        long baseline = retainedHeap();
        AtomicLong peak = new AtomicLong(baseline);
        Future<Long> received = client().fetch(ArtifactRequest.of(LARGE_ZIP)).compose(response -> {
            assertThat(response.contentLength()).isEqualTo(LARGE_BODY_BYTES);
            return BodyReader.verifyGenerated(response, LARGE_BODY_BYTES / 4,
                    bytes -> peak.accumulateAndGet(retainedHeap(), Math::max));
        });
        assertThat(Await.result(received, WAIT.multipliedBy(2))).isEqualTo(LARGE_BODY_BYTES);
        assertThat(peak.get() - baseline).as("heap retained while streaming").isLessThan(LARGE_BODY_BYTES / 4);
    }

    @Test
    void discardingBodiesMidwayReleasesTheirConnections() {
        fixture().serveGenerated(LARGE_ZIP, 8L << 20);
        UpstreamClient client = client();
        // More rounds than any sensible connection pool is large, so a leaked connection would block a later round.
        for (int round = 0; round < 12; round++) {
            UpstreamResponse[] response = new UpstreamResponse[1];
            Future<Long> partial = client.fetch(ArtifactRequest.of(LARGE_ZIP)).compose(r -> {
                response[0] = r;
                return BodyReader.readAtLeast(r, 64 * 1024);
            });
            assertThat(Await.result(partial, WAIT)).isGreaterThanOrEqualTo(64 * 1024L);
            response[0].discard();
            response[0].discard();
        }
        assertThat(fetch(client, ArtifactRequest.of(TWO_MOD)).body().getBytes())
                .isEqualTo(ConformanceArtifacts.small().get(TWO_MOD));
    }

    @Test
    void concurrentFetchesAllCompleteWithTheirOwnBytes() {
        UpstreamClient client = client();
        List<ArtifactRef> refs = new ArrayList<>(ConformanceArtifacts.small().keySet());
        List<Future<Fetched>> fetches = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            fetches.add(fetchAsync(client, ArtifactRequest.of(refs.get(i % refs.size()))));
        }
        for (int i = 0; i < fetches.size(); i++) {
            ArtifactRef ref = refs.get(i % refs.size());
            assertThat(Await.result(fetches.get(i), WAIT).body().getBytes()).as(ref.path())
                    .isEqualTo(ConformanceArtifacts.small().get(ref));
        }
    }

    @Test
    void connectionTestPassesAgainstAWorkingUpstream() {
        fixture().requireCredentials(validCredentials());
        ConnectionReport report = Await.result(client().testConnection(), WAIT);
        assertThat(report.ok()).as(report.message()).isTrue();
        assertThat(report.reachable()).isTrue();
        assertThat(report.authenticated()).isTrue();
        assertThat(report.latencyMillis()).isGreaterThanOrEqualTo(0);
        assertThat(report.message()).isNotBlank();
        assertNoSecrets(report.message(), secrets());
    }

    @Test
    void connectionTestReportsRejectedCredentials() {
        fixture().requireCredentials(validCredentials());
        ConnectionReport report = Await.result(client(fixture().baseUrl(), wrongCredentials()).testConnection(), WAIT);
        assertThat(report.ok()).isFalse();
        assertThat(report.reachable()).isTrue();
        assertThat(report.authenticated()).isFalse();
        assertThat(report.message()).isNotBlank();
        assertNoSecrets(report.message(), secrets());
    }

    @Test
    void connectionTestReportsAnUnreachableUpstreamWithoutFailing() {
        UpstreamClient client = client(withRefusingPort(fixture().baseUrl()), validCredentials());
        ConnectionReport[] report = new ConnectionReport[1];
        Duration took = timed(() -> report[0] = Await.result(client.testConnection(), WAIT));
        assertThat(took).isLessThan(Duration.ofSeconds(3));
        assertThat(report[0].ok()).isFalse();
        assertThat(report[0].reachable()).isFalse();
        assertThat(report[0].tls()).isFalse();
        assertThat(report[0].latencyMillis()).isEqualTo(-1);
        assertThat(report[0].message()).isNotBlank();
        assertNoSecrets(report[0].message(), secrets());
    }
}
