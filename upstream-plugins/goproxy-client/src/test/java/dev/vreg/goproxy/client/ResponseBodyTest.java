package dev.vreg.goproxy.client;

import static dev.vreg.testkit.upstream.ConformanceArtifacts.FAILING_ZIP;
import static dev.vreg.testkit.upstream.ConformanceArtifacts.LARGE_ZIP;
import static dev.vreg.testkit.upstream.ConformanceArtifacts.TWO_MOD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.spi.ArtifactRequest;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamResponse;
import dev.vreg.spi.VregException;
import dev.vreg.testkit.upstream.Await;
import dev.vreg.testkit.upstream.BodyReader;
import dev.vreg.testkit.upstream.FixtureFailure;
import dev.vreg.testkit.upstream.GeneratedBody;
import io.vertx.core.Promise;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResponseBodyTest extends GoproxyTestSupport {

    private static final byte[] MOD = "module github.com/one/two\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void theBodyWaitsPausedUntilTheConsumerAsks() throws InterruptedException {
        fixture.serve(TWO_MOD, MOD, "\"v1\"");
        UpstreamResponse response = Await.result(open(fixture.baseUrl(), null).fetch(ArtifactRequest.of(TWO_MOD)),
                WAIT);
        Thread.sleep(300);
        assertThat(Await.result(BodyReader.readAll(response), WAIT).getBytes()).isEqualTo(MOD);
        assertThat(response.contentLength()).isEqualTo(MOD.length);
        assertThat(response.etag()).isEqualTo("\"v1\"");
    }

    @Test
    void holdingTheBodyBackLongerThanTheReadTimeoutIsNotATimeout() throws InterruptedException {
        long length = 2L << 20;
        fixture.serveGenerated(LARGE_ZIP, length);
        UpstreamResponse[] response = new UpstreamResponse[1];
        long first = Await.result(open(fixture.baseUrl(), null).fetch(ArtifactRequest.of(LARGE_ZIP)).compose(r -> {
            response[0] = r;
            return BodyReader.readAtLeast(r, 64 * 1024);
        }), WAIT);

        Thread.sleep(READ_TIMEOUT.toMillis() * 5 / 2);

        Promise<Long> rest = Promise.promise();
        long[] offset = {first};
        response[0].body().exceptionHandler(rest::tryFail);
        response[0].body().endHandler(v -> rest.tryComplete(offset[0]));
        response[0].body().handler(chunk -> {
            assertThat(GeneratedBody.firstMismatch(offset[0], chunk)).isEqualTo(-1);
            offset[0] += chunk.length();
        });
        response[0].body().resume();
        assertThat(Await.result(rest.future(), WAIT)).isEqualTo(length);
    }

    @Test
    void aBodyHeldBackWhileTheUpstreamClosesAfterSendingItArrivesWhole() throws Exception {
        assertWholeAfterClose("HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n");
    }

    @Test
    void aBodyThatEndsWhenTheUpstreamClosesArrivesWhole() throws Exception {
        assertWholeAfterClose("HTTP/1.0 200 OK\r\n\r\n");
    }

    /** An upstream that answers with {@code head}, sends the whole body and closes at once, before it is read. */
    private void assertWholeAfterClose(String head) throws Exception {
        byte[] body = new byte[3 << 20];
        new Random(5).nextBytes(body);
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> {
                try (Socket socket = server.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                            StandardCharsets.ISO_8859_1));
                    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                        // The request head.
                    }
                    OutputStream out = socket.getOutputStream();
                    out.write(String.format(head, body.length).getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body);
                    out.flush();
                } catch (IOException e) {
                    // Seen by the test as a failed fetch.
                }
            });
            serving.start();
            UpstreamResponse response = Await.result(open(URI.create("http://127.0.0.1:" + server.getLocalPort()),
                    null).fetch(ArtifactRequest.of(LARGE_ZIP)), WAIT);
            serving.join(5000);
            Thread.sleep(300);
            assertThat(Await.result(BodyReader.readAll(response), WAIT).getBytes()).isEqualTo(body);
        }
    }

    @Test
    void bodyFailuresNameTheUpstreamAndThePath() {
        UpstreamClient client = open(fixture.baseUrl(), null);
        fixture.fail(FAILING_ZIP, FixtureFailure.RESET_MID_BODY);
        assertThat(bodyFailure(client).getMessage())
                .isEqualTo("the connection to upstream 127.0.0.1:" + fixture.baseUrl().getPort()
                        + " broke while it was sending example.com/failing/@v/v1.0.0.zip");

        fixture.fail(FAILING_ZIP, FixtureFailure.STALL_MID_BODY);
        assertThat(bodyFailure(client).getMessage())
                .isEqualTo("upstream 127.0.0.1:" + fixture.baseUrl().getPort()
                        + " stopped sending example.com/failing/@v/v1.0.0.zip for 1s");
    }

    @Test
    void aFailureBeforeAnyoneListensIsDeliveredOnceSomeoneDoes() throws InterruptedException {
        fixture.fail(FAILING_ZIP, FixtureFailure.RESET_MID_BODY);
        UpstreamResponse response = Await.result(
                open(fixture.baseUrl(), null).fetch(ArtifactRequest.of(FAILING_ZIP)), WAIT);
        Thread.sleep(300);
        Throwable failure = Await.failure(BodyReader.readAll(response), WAIT);
        assertThat(failure).isInstanceOfSatisfying(VregException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE));
    }

    @Test
    void discardingAfterTheEndKeepsTheConnectionForReuse() {
        fixture.serve(TWO_MOD, MOD, null);
        UpstreamClient client = open(fixture.baseUrl(), null);
        int before = fixture.connectionsAccepted();
        for (int i = 0; i < 10; i++) {
            UpstreamResponse[] response = new UpstreamResponse[1];
            Await.result(client.fetch(ArtifactRequest.of(TWO_MOD)).compose(r -> {
                response[0] = r;
                return BodyReader.readAll(r);
            }), WAIT);
            response[0].discard();
            response[0].discard();
        }
        // As in StatusMappingTest: reuse is what matters; the pool may race one extra connection.
        assertThat(fixture.connectionsAccepted() - before).isLessThanOrEqualTo(3);
    }

    @Test
    void aNotModifiedBodyIsEmptyAndEndsWhenResumed() {
        fixture.serve(TWO_MOD, MOD, "\"v1\"");
        UpstreamResponse response = Await.result(
                open(fixture.baseUrl(), null).fetch(new ArtifactRequest(TWO_MOD, "\"v1\"")), WAIT);
        assertThat(response.notModified()).isTrue();
        assertThat(response.etag()).isEqualTo("\"v1\"");
        assertThat(response.contentLength()).isZero();
        assertThat(Await.result(BodyReader.readAll(response), WAIT).length()).isZero();
    }

    private static VregException bodyFailure(UpstreamClient client) {
        return (VregException) Await.failure(
                client.fetch(ArtifactRequest.of(FAILING_ZIP)).compose(BodyReader::readAll), WAIT);
    }
}
