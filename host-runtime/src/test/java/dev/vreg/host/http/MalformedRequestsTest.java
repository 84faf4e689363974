package dev.vreg.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.vreg.host.VregServer;
import dev.vreg.host.support.LogCapture;
import dev.vreg.host.support.TestVreg;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests no handler can make sense of are answered with a short reason and logged as nothing worse than what they
 * are, a client's mistake: a path with a broken percent-escape below the admin API, and a request line in an HTTP
 * version vreg does not speak.
 */
class MalformedRequestsTest {

    static VregServer vreg;
    static LogCapture logs;

    @BeforeAll
    static void start() {
        vreg = TestVreg.start(TestVreg.config(TestVreg.newDataDir(), List.of("http://127.0.0.1:9")));
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
    }

    /** The whole response to {@code request}, sent as written over a plain socket. */
    static String exchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", vreg.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/%zz", "/api/v1/groups/%zz", "/api/v1/groups/a%2", "/api/v1/%"})
    void aBrokenEscapeBelowTheAdminApiIsA400ProblemAndNoError(String path) throws IOException {
        String response = exchange("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 400 ");
        String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase();
        assertThat(head).contains("content-type: application/problem+json");
        JsonObject problem = new JsonObject(response.substring(response.indexOf("\r\n\r\n") + 4));
        assertThat(problem.getInteger("status")).isEqualTo(400);
        assertThat(problem.getString("detail")).contains("percent-escape");
        assertThat(logs.lines(Level.ERROR)).isEmpty();
    }

    /** A version Netty can parse is not supported (505); one it cannot parse makes the request line invalid (400). */
    @ParameterizedTest
    @CsvSource({"HTTP/1.2, 505", "HTTP/2.0, 505", "HTTP/0.9, 505", "HTTX/1.1, 505", "HTTP/3, 400", "garbage, 400"})
    void aRequestLineInAnotherHttpVersionIsAnsweredWithAReasonAndTheConnectionClosed(String version, int status)
            throws IOException {
        String response = exchange("GET /healthz " + version + "\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 " + status + " ");
        int split = response.indexOf("\r\n\r\n");
        String head = response.substring(0, split).toLowerCase();
        assertThat(head).contains("connection: close").contains("content-type: text/plain");
        assertThat(response.substring(split + 4)).isNotBlank().hasSizeLessThan(200);
        assertThat(logs.lines(Level.ERROR)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1", "HTTP/1.0"})
    void http11And10AreServedAsBefore(String version) throws IOException {
        String response = exchange("GET /healthz " + version + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(response).startsWith(version + " 200 ").endsWith("\r\n\r\nok\n");
    }
}
