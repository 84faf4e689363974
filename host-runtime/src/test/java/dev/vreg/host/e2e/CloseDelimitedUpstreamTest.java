package dev.vreg.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.FileContent;
import dev.vreg.testkit.go.GoModule;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstreams that close the connection right after answering, the way simple HTTP/1.0 servers do, whether the body
 * has a length or ends with the connection: the whole file arrives, is validated and cached, even while vreg holds
 * the body back for its disk.
 */
class CloseDelimitedUpstreamTest {

    static final GoModule BIG = GoModule.builder("example.com/closing", "v1.0.0")
            .file("data.bin", FileContent.pseudoRandom(21, 24L << 20)).stored().build();

    @TempDir
    Path temp;

    @Test
    void filesFromUpstreamsThatCloseAfterAnsweringArriveWholeAndAreCached() throws Exception {
        Path zip = temp.resolve("module.zip");
        BIG.writeZip(zip);
        byte[] bytes = Files.readAllBytes(zip);
        for (boolean withLength : new boolean[] {true, false}) {
            AtomicInteger served = new AtomicInteger();
            try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                Thread upstream = new Thread(() -> serve(server, bytes, withLength, served));
                upstream.setDaemon(true);
                upstream.start();
                try (VregServer vreg = TestVreg.start(TestVreg.config(TestVreg.newDataDir(),
                        List.of("http://127.0.0.1:" + server.getLocalPort())))) {
                    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                    URI uri = URI.create(vreg.baseUrl() + "/go/default/main" + BIG.zipPath());
                    for (int i = 0; i < 2; i++) {
                        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        assertThat(response.statusCode()).as("with length: " + withLength).isEqualTo(200);
                        assertThat(response.body()).isEqualTo(bytes);
                    }
                    assertThat(served.get()).as("fetched once, then served from the cache").isEqualTo(1);
                }
            }
        }
    }

    /** Answers every request for the zip with {@code body} and closes; anything else is not found. */
    private static void serve(ServerSocket server, byte[] body, boolean withLength, AtomicInteger served) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.ISO_8859_1));
                String requestLine = in.readLine();
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    // The rest of the request head.
                }
                OutputStream out = socket.getOutputStream();
                if (requestLine != null && requestLine.contains(BIG.zipPath())) {
                    served.incrementAndGet();
                    out.write((withLength ? "HTTP/1.1 200 OK\r\nContent-Length: " + body.length
                            + "\r\nConnection: close\r\n\r\n" : "HTTP/1.0 200 OK\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body);
                } else {
                    out.write("HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
                }
                out.flush();
            } catch (IOException e) {
                // The server socket was closed, or the client went away.
            }
        }
    }
}
