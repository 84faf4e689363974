package dev.vreg.go;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.go.module.ModuleEscaping;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.AssetKind;
import dev.vreg.spi.ContentCheck;
import dev.vreg.spi.ContentChecker;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.ModDownload;
import dev.vreg.testkit.go.StaticGoProxy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real go command downloads modules of every shape from a local GOPROXY, checks them and writes their hashes;
 * this plugin must accept the very files it downloaded and compute the same h1 hashes. Fails, rather than skips,
 * without go.
 */
class GoCommandHashTest {

    private static final List<GoModule> MODULES = List.of(
            GoModule.builder("example.com/plain", "v1.4.0").goPackage("sub").file("README.md", "plain\n").build(),
            GoModule.builder("example.com/major/v3", "v3.0.1").build(),
            GoModule.builder("example.com/Upper/Case", "v1.2.0").build(),
            GoModule.builder("example.com/legacy", "v2.1.0+incompatible").build(),
            GoModule.builder("example.com/pre", "v0.2.0-rc.1").build(),
            GoModule.builder("gopkg.in/fixture.v1", "v1.0.3").stored().build(),
            GoModule.builder("example.com/pseudo", "v0.0.0-20240102030405-abcdefabcdef").build(),
            GoModule.builder("example.com/vendoring", "v1.0.0")
                    .file("vendor/modules.txt", "# example.com/dep v1.0.0\n")
                    .file("vendor/example.com/dep/dep.go", "package dep\n")
                    .file("tools/go.mod", "module example.com/vendoring/tools\n")
                    .file("tools/tools.go", "package tools\n").build());

    private final GoFormatPlugin plugin = new GoFormatPlugin();

    @Test
    void hashesMatchTheGoCommand(@TempDir Path tmp) throws Exception {
        List<ModDownload> downloads;
        try (StaticGoProxy proxy = StaticGoProxy.start(tmp.resolve("proxy"), MODULES.toArray(GoModule[]::new))) {
            GoTool go = GoTool.builder(tmp.resolve("go")).proxy(proxy.baseUrl()).build();
            downloads = go.modDownloadJson(MODULES.stream().map(GoModule::toString).toArray(String[]::new));
        }
        assertThat(downloads).hasSize(MODULES.size());
        for (ModDownload d : downloads) {
            assertThat(d.error()).as("go error for %s", d.path()).isNull();
            String base = ModuleEscaping.escapePath(d.path()) + "/@v/" + ModuleEscaping.escapeVersion(d.version());

            ArtifactRef zip = plugin.classify(base + ".zip");
            assertThat(zip.kind()).isEqualTo(AssetKind.CONTENT);
            assertThat(plugin.check(zip, Path.of(d.zip())).attributes())
                    .as(d.path() + " zip").containsEntry("h1", d.sum());
            assertThat(streamed(zip, Path.of(d.zip())).attributes())
                    .as(d.path() + " zip, checked as it streams").containsEntry("h1", d.sum());

            ArtifactRef mod = plugin.classify(base + ".mod");
            assertThat(plugin.check(mod, Path.of(d.goMod())).attributes())
                    .as(d.path() + " go.mod").containsEntry("h1", d.goModSum());

            ArtifactRef info = plugin.classify(base + ".info");
            assertThat(info.kind()).isEqualTo(AssetKind.CONTENT);
            assertThat(plugin.check(info, Path.of(d.info()))).isEqualTo(ContentCheck.NONE);
            assertThat(plugin.contentChecker(mod)).isEmpty();
        }
    }

    /** The zip fed to the plugin's streaming check in pieces of a few KiB, as an upstream's body arrives. */
    private ContentCheck streamed(ArtifactRef zip, Path file) throws IOException {
        ContentChecker checker = plugin.contentChecker(zip).orElseThrow();
        byte[] bytes = Files.readAllBytes(file);
        for (int at = 0, n; at < bytes.length; at += n) {
            n = Math.min(bytes.length - at, 1000 + at % 7000);
            checker.update(ByteBuffer.wrap(bytes, at, n));
        }
        return checker.finish(file);
    }
}
