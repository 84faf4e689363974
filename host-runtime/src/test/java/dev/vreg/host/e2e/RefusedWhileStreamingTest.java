package dev.vreg.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.vreg.host.VregServer;
import dev.vreg.host.support.LogCapture;
import dev.vreg.host.support.TestVreg;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A file refused only once more than the held-back first 64 KiB has streamed to the client that asked for it: that
 * client's download is broken off, never completed; the refusal is logged, counted and remembered, so the retry is
 * answered with a 502 naming the reason without asking the upstream again.
 */
class RefusedWhileStreamingTest {

    static final String LATE_ZIP = "/example.com/late/@v/v1.0.0.zip";
    static final String HUGE_MOD = "/example.com/huge/@v/v1.0.0.mod";
    /** The go command's limit for a go.mod, which the Go format applies to every .mod. */
    static final long MAX_GO_MOD = 16L << 20;

    static final Vertx UPSTREAM_VERTX = Vertx.vertx();
    static final Map<String, AtomicInteger> REQUESTS = new ConcurrentHashMap<>();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static HttpServer upstream;
    static VregServer vreg;
    static LogCapture logs;

    @BeforeAll
    static void start() throws Exception {
        byte[] lateZip = zipWithATraversalAfterNoise();
        upstream = UPSTREAM_VERTX.createHttpServer().requestHandler(request -> {
            REQUESTS.computeIfAbsent(request.path(), p -> new AtomicInteger()).incrementAndGet();
            HttpServerResponse response = request.response();
            if (request.path().equals(LATE_ZIP)) {
                response.putHeader("Content-Type", "application/zip").end(Buffer.buffer(lateZip));
            } else if (request.path().equals(HUGE_MOD)) {
                // No length to check up front: the limit is only found while the body streams.
                response.setChunked(true).putHeader("Content-Type", "text/plain; charset=utf-8");
                sendLines(response, MAX_GO_MOD + (1 << 20));
            } else {
                response.setStatusCode(404).end("not found");
            }
        }).listen(0, "127.0.0.1").await();
        vreg = TestVreg.start(TestVreg.config(TestVreg.newDataDir(),
                List.of("http://127.0.0.1:" + upstream.actualPort())));
        logs = LogCapture.attach();
    }

    @AfterAll
    static void stop() {
        if (logs != null) {
            logs.close();
        }
        if (vreg != null) {
            vreg.close();
        }
        UPSTREAM_VERTX.close().await();
    }

    @Test
    void aZipRefusedByTheFormatAfterStreamingIsBrokenOffThenAnswered502AtOnce() throws Exception {
        assertBrokenOffThenRefused(LATE_ZIP, "file path is not clean", "invalid");
    }

    @Test
    void aChunkedBodyOverTheLimitIsBrokenOffThenAnswered502AtOnceWithoutAnUnhandledError() throws Exception {
        assertBrokenOffThenRefused(HUGE_MOD, "more than the limit of " + MAX_GO_MOD + " bytes", "too_large");
        assertThat(logs.lines(Level.ERROR)).isEmpty();
        assertThat(logs.lines()).noneMatch(line -> line.contains("File handle is closed"));
    }

    private static void assertBrokenOffThenRefused(String path, String reason, String reasonTag) throws Exception {
        URI uri = URI.create(vreg.baseUrl() + "/go/default/main" + path);
        assertThatThrownBy(() -> HTTP.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofByteArray()))
                .as("the first download must break off, not end as a shorter 200")
                .isInstanceOf(IOException.class);

        HttpResponse<String> retry = HTTP.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(retry.statusCode()).isEqualTo(502);
        assertThat(retry.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(retry.body()).contains(reason);
        assertThat(REQUESTS.get(path).get()).as("the upstream is asked once").isOne();

        assertThat(logs.lines(Level.WARN)).anyMatch(line -> line.contains(path.substring(1)) && line.contains(reason));
        assertThat(refusedCount(reasonTag)).isEqualTo(1.0);
    }

    /** The value of {@code vreg_content_refused_total} for the test's upstream and {@code reason}. */
    private static double refusedCount(String reason) throws Exception {
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(vreg.baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^vreg_content_refused_total\\{([^}]*)} (\\S+)$").matcher(metrics);
        while (m.find()) {
            if (m.group(1).contains("reason=\"" + reason + "\"")
                    && m.group(1).contains("upstream=\"127.0.0.1:" + upstream.actualPort())) {
                return Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }

    /** Writes {@code total} bytes of blank lines in pieces, as fast as the connection takes them. */
    private static void sendLines(HttpServerResponse response, long total) {
        Buffer piece = Buffer.buffer("\n".repeat(64 << 10));
        long[] sent = {0};
        Runnable[] more = new Runnable[1];
        more[0] = () -> {
            if (response.closed() || response.ended()) {
                // A drain can still arrive after the last piece, or after vreg broke the connection off.
                return;
            }
            while (!response.closed() && sent[0] < total && !response.writeQueueFull()) {
                response.write(piece);
                sent[0] += piece.length();
            }
            if (response.closed()) {
                return;
            }
            if (sent[0] >= total) {
                response.end();
            } else {
                response.drainHandler(v -> more[0].run());
            }
        };
        more[0].run();
    }

    /** A module zip whose traversal entry comes after 256 KiB of incompressible data. */
    private static byte[] zipWithATraversalAfterNoise() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            out.putNextEntry(new ZipEntry("example.com/late@v1.0.0/go.mod"));
            out.write("module example.com/late\n".getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new ZipEntry("example.com/late@v1.0.0/data.bin"));
            byte[] noise = new byte[256 << 10];
            new Random(11).nextBytes(noise);
            out.write(noise);
            out.putNextEntry(new ZipEntry("example.com/late@v1.0.0/../evil.go"));
            out.write("package evil\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return bytes.toByteArray();
    }
}
