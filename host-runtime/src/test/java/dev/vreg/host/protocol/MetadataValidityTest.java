package dev.vreg.host.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.StaticGoProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version list is answered from the cache while it is fresh, however often it is asked for, and asked of the
 * upstream again once its validity has passed, so a newly published version appears.
 */
class MetadataValidityTest {

    static final GoModule FIRST = GoModule.builder("example.com/growing", "v1.0.0").build();
    static final GoModule SECOND = GoModule.builder("example.com/growing", "v1.1.0").build();

    @TempDir
    Path temp;

    @Test
    void aListIsServedFromTheCacheWhileFreshAndAskedAgainAfterwards() throws Exception {
        try (StaticGoProxy upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("up")), FIRST)) {
            VregConfig config = TestVreg.config(TestVreg.newDataDir(), List.of(upstream.baseUrl()));
            config.cache.metadataValidity = Duration.ofSeconds(2);
            try (VregServer vreg = TestVreg.start(config)) {
                VregHttp http = new VregHttp(vreg);
                String list = FIRST.listPath();
                assertThat(body(http, list)).isEqualTo("v1.0.0\n");
                upstream.publish(SECOND);
                for (int i = 0; i < 20; i++) {
                    assertThat(body(http, list)).isEqualTo("v1.0.0\n");
                }
                assertThat(upstream.requestCount(FIRST.listPath())).isEqualTo(1);

                String seen = "";
                for (long deadline = System.nanoTime() + 10_000_000_000L;
                     !seen.contains("v1.1.0") && System.nanoTime() < deadline; Thread.sleep(100)) {
                    seen = body(http, list);
                }
                assertThat(seen).isEqualTo("v1.0.0\nv1.1.0\n");
                assertThat(upstream.requestCount(FIRST.listPath())).isEqualTo(2);
            }
        }
    }

    static String body(VregHttp http, String path) {
        var response = http.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
