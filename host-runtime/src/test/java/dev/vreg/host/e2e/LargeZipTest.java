package dev.vreg.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.FileContent;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.ModDownload;
import dev.vreg.testkit.go.StaticGoProxy;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 100 MiB module zip passes through vreg cold and warm. The suite's JVM runs at -Xmx256m, so a zip held in memory
 * (twice, on a cold fetch) would not fit.
 */
class LargeZipTest {

    @TempDir
    Path temp;

    @Test
    void aHundredMebibyteZipPassesThroughColdAndWarm() throws Exception {
        assertThat(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax()).isLessThanOrEqualTo(256L << 20);
        GoModule huge = GoModule.builder("example.com/huge", "v1.0.0")
                .file("assets/huge.bin", FileContent.pseudoRandom(100, 100L << 20)).stored().build();
        try (StaticGoProxy upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("up")), huge);
             VregServer vreg = TestVreg.start(TestVreg.config(TestVreg.newDataDir(), List.of(upstream.baseUrl())))) {
            String proxy = vreg.baseUrl() + "/go/default/main";
            for (String round : List.of("cold", "warm")) {
                GoTool go = GoTool.builder(Files.createDirectories(temp.resolve(round))).proxy(proxy).build();
                List<ModDownload> downloads = go.modDownloadJson("example.com/huge@v1.0.0");
                assertThat(downloads).singleElement().satisfies(d -> {
                    assertThat(d.error()).isNull();
                    assertThat(d.sum()).isEqualTo(huge.zipHash());
                    assertThat(Files.size(Path.of(d.zip()))).isGreaterThan(100L << 20);
                });
            }
            assertThat(upstream.requestCount(huge.zipPath())).isEqualTo(1);
        }
    }
}
