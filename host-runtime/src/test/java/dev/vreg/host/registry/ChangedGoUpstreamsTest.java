package dev.vreg.host.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.support.LogCapture;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.StaticGoProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restarting with another list of Go upstreams keeps the upstreams still listed, with their cache, and says in the
 * log what was linked, moved and unlinked, and how many cached files an unlinked one takes with it.
 */
class ChangedGoUpstreamsTest {

    private static final GoModule MODULE = GoModule.builder("example.com/kept", "v1.0.0").build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path temp;

    @Test
    void anUpstreamStillListedKeepsItsCacheAndEveryChangeIsLogged() throws Exception {
        Path dataDir = TestVreg.newDataDir();
        try (StaticGoProxy old = StaticGoProxy.start(temp.resolve("old"), MODULE);
             StaticGoProxy mirror = StaticGoProxy.start(temp.resolve("mirror"))) {
            byte[] cached;
            try (VregServer vreg = TestVreg.start(TestVreg.config(dataDir, List.of(old.baseUrl())))) {
                HttpResponse<byte[]> first = get(vreg, MODULE.zipPath());
                assertThat(first.statusCode()).isEqualTo(200);
                cached = first.body();
            }
            old.stop();

            try (LogCapture log = LogCapture.attach();
                 VregServer vreg = TestVreg.start(TestVreg.config(dataDir, List.of(mirror.baseUrl(), old.baseUrl())))) {
                // The old upstream is down and the mirror never had the module: only the kept cache can answer.
                HttpResponse<byte[]> zip = get(vreg, MODULE.zipPath());
                assertThat(zip.statusCode()).isEqualTo(200);
                assertThat(zip.body()).isEqualTo(cached);
                assertThat(log.lines()).anySatisfy(line -> assertThat(line)
                        .contains("Upstream " + mirror.baseUrl() + " is linked to default/main at position 1"));
                assertThat(log.lines()).anySatisfy(line -> assertThat(line)
                        .contains("Upstream " + old.baseUrl() + " of default/main moves from position 1 to 2"));
            }

            try (LogCapture log = LogCapture.attach();
                 VregServer vreg = TestVreg.start(TestVreg.config(dataDir, List.of(mirror.baseUrl())))) {
                assertThat(get(vreg, MODULE.zipPath()).statusCode()).isEqualTo(404);
                assertThat(log.lines()).anySatisfy(line -> assertThat(line)
                        .contains("Upstream " + old.baseUrl() + " is no longer linked to default/main")
                        .contains("the 1 cached file(s) it holds are no longer served"));
            }
        }
    }

    private static HttpResponse<byte[]> get(VregServer vreg, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(vreg.baseUrl() + "/go/default/main" + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
