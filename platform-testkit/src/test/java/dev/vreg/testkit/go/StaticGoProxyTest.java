package dev.vreg.testkit.go;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.go.hash.DirHash;
import dev.vreg.testkit.upstream.GeneratedBody;
import io.vertx.core.buffer.Buffer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticGoProxyTest {

    private static final GoModule UPPER = GoModule.builder("example.com/Upper/Case", "v1.2.0").build();
    private static final GoModule UPPER_RC = GoModule.builder("example.com/Upper/Case", "v1.3.0-rc.1").build();
    private static final GoModule PSEUDO =
            GoModule.builder("example.com/pseudo", "v0.0.0-20240102030405-abcdefabcdef").build();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private StaticGoProxy proxy;

    @BeforeEach
    void start() {
        proxy = StaticGoProxy.start(dir.resolve("proxy"), UPPER, UPPER_RC).publishLatest(PSEUDO);
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    @Test
    void writesABangEscapedTree() throws Exception {
        Path versions = proxy.root().resolve("example.com/!upper/!case/@v");
        assertThat(Files.readString(versions.resolve("list"))).isEqualTo("v1.2.0\nv1.3.0-rc.1\n");
        assertThat(versions.resolve("v1.2.0.info")).hasContent(UPPER.infoJson());
        assertThat(Files.readAllBytes(versions.resolve("v1.2.0.mod"))).isEqualTo(UPPER.modBytes());
        assertThat(DirHash.hashZip(versions.resolve("v1.2.0.zip"))).isEqualTo(UPPER.zipHash());
        assertThat(proxy.root().resolve("example.com/pseudo/@v/list")).isEmptyFile();
        assertThat(proxy.root().resolve("example.com/pseudo/@latest")).hasContent(PSEUDO.infoJson());
        assertThat(proxy.baseUrl()).isEqualTo("http://127.0.0.1:" + proxy.port());
    }

    @Test
    void servesFilesAtPercentEncodedPathsWithALength() throws Exception {
        HttpResponse<byte[]> info = get("/example.com/%21upper/%21case/@v/v1.2.0.info");
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(new String(info.body())).isEqualTo(UPPER.infoJson());
        assertThat(info.headers().firstValue("content-length")).hasValue(Integer.toString(info.body().length));
        assertThat(info.headers().firstValue("content-type")).hasValue("application/json");

        HttpResponse<byte[]> zip = get(UPPER.zipPath());
        assertThat(zip.statusCode()).isEqualTo(200);
        assertThat(zip.body()).isEqualTo(Files.readAllBytes(proxy.root().resolve(UPPER.zipPath().substring(1))));
        assertThat(zip.headers().firstValue("content-length")).hasValue(Integer.toString(zip.body().length));
    }

    @Test
    void unknownPathsAreTextNotFound() throws Exception {
        for (String path : new String[] {"/example.com/missing/@v/list", "/example.com/!upper/!case/@v/",
                "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/"}) {
            HttpResponse<byte[]> response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
        }
        assertThat(rawStatusLine("/bad%zzescape")).startsWith("HTTP/1.1 400");
    }

    @Test
    void headGivesTheLengthWithoutABodyAndOtherMethodsAreRefused() throws Exception {
        HttpResponse<byte[]> head = http.send(request(UPPER.zipPath()).method("HEAD",
                HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("content-length"))
                .hasValue(Files.size(proxy.root().resolve(UPPER.zipPath().substring(1))));
        HttpResponse<byte[]> post = http.send(request(UPPER.zipPath()).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void countsRequestsPerDecodedPath() throws Exception {
        get("/example.com/%21upper/%21case/@v/list");
        get(UPPER.listPath());
        get("/example.com/missing/@v/list");
        assertThat(proxy.requestCount(UPPER.listPath())).isEqualTo(2);
        assertThat(proxy.requestCount("example.com/%21upper/%21case/@v/list")).isEqualTo(2);
        assertThat(proxy.requestCount("/example.com/missing/@v/list")).isEqualTo(1);
        assertThat(proxy.totalRequests()).isEqualTo(3);
        assertThat(proxy.requestedPaths()).containsExactly(UPPER.listPath(), UPPER.listPath(),
                "/example.com/missing/@v/list");
        proxy.resetCounters();
        assertThat(proxy.totalRequests()).isZero();
        assertThat(proxy.requestCount(UPPER.listPath())).isZero();
    }

    @Test
    void statusFaultAppliesTheGivenNumberOfTimes() throws Exception {
        proxy.inject(UPPER.infoPath(), Fault.status(503).times(2));
        assertThat(get(UPPER.infoPath()).statusCode()).isEqualTo(503);
        assertThat(get(UPPER.infoPath()).statusCode()).isEqualTo(503);
        assertThat(get(UPPER.infoPath()).statusCode()).isEqualTo(200);
        assertThat(proxy.requestCount(UPPER.infoPath())).isEqualTo(3);
    }

    @Test
    void droppedConnectionCutsTheBodyShortOnce() throws Exception {
        proxy.inject(UPPER.zipPath(), Fault.dropConnectionAfter(100).once());
        assertThatThrownBy(() -> get(UPPER.zipPath())).isInstanceOf(IOException.class);
        assertThat(get(UPPER.zipPath()).statusCode()).isEqualTo(200);
    }

    @Test
    void droppedConnectionAlwaysFailsUntilCleared() throws Exception {
        proxy.inject(UPPER.modPath(), Fault.dropConnection());
        assertThatThrownBy(() -> get(UPPER.modPath())).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> get(UPPER.modPath())).isInstanceOf(IOException.class);
        proxy.clearFaults();
        assertThat(get(UPPER.modPath()).statusCode()).isEqualTo(200);
    }

    @Test
    void delayFaultServesLate() throws Exception {
        proxy.inject(UPPER.listPath(), Fault.delay(Duration.ofMillis(600)));
        long started = System.nanoTime();
        HttpResponse<byte[]> response = get(UPPER.listPath());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
    }

    @Test
    void trickleSendsTheWholeFileOneByteAtATime() throws Exception {
        byte[] info = UPPER.infoJson().getBytes(StandardCharsets.UTF_8);
        proxy.inject(UPPER.infoPath(), Fault.trickle(Duration.ofMillis(10)).once());
        long started = System.nanoTime();
        HttpResponse<byte[]> response = get(UPPER.infoPath());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-length")).hasValue(Integer.toString(info.length));
        assertThat(response.body()).isEqualTo(info);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(
                Duration.ofMillis(10L * (info.length - 1)));
    }

    @Test
    void anEndlessBodyKeepsComingWithoutALength() throws Exception {
        proxy.inject(UPPER.listPath(), Fault.endlessBody(4096, Duration.ofMillis(2)));
        HttpResponse<InputStream> response = http.send(request(UPPER.listPath()).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-length")).isEmpty();
        try (InputStream in = response.body()) {
            byte[] first = in.readNBytes(256 * 1024);
            assertThat(first).hasSize(256 * 1024);
            assertThat(GeneratedBody.firstMismatch(0, Buffer.buffer(first))).isEqualTo(-1);
        }
    }

    @Test
    void restartsOnTheSamePort() throws Exception {
        int port = proxy.port();
        get(UPPER.listPath());
        proxy.stop();
        assertThat(proxy.isRunning()).isFalse();
        assertThatThrownBy(() -> get(UPPER.listPath())).isInstanceOf(IOException.class);
        proxy.restart();
        assertThat(proxy.port()).isEqualTo(port);
        assertThat(get(UPPER.listPath()).statusCode()).isEqualTo(200);
    }

    @Test
    void publishesNewVersionsWhileServing() throws Exception {
        GoModule next = GoModule.builder("example.com/Upper/Case", "v1.4.0").build();
        proxy.publish(next);
        assertThat(new String(get(UPPER.listPath()).body())).isEqualTo("v1.2.0\nv1.3.0-rc.1\nv1.4.0\n");
        assertThat(get(next.zipPath()).statusCode()).isEqualTo(200);
    }

    /** Sends a request line {@link HttpClient} would refuse to build. */
    private String rawStatusLine(String rawPath) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + rawPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }

    private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(proxy.baseUrl() + path)).timeout(Duration.ofSeconds(10));
    }
}
