package dev.vreg.host.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.ModDownload;
import dev.vreg.testkit.go.StaticGoProxy;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module cache the go command filled ({@code $GOMODCACHE/cache/download}) is a ready-made GOPROXY fixture: the
 * go command reads it as {@code GOPROXY=file://...}, and served over HTTP as an upstream, vreg answers with the very
 * bytes of its files (minus the pseudo-versions the go command keeps in its {@code list} files).
 */
class ModuleCacheFixtureTest {

    @TempDir
    static Path temp;

    static final List<GoModule> MODULES = List.of(
            GoModule.builder("example.com/Mixed/Case", "v1.4.0").build(),
            GoModule.builder("example.com/Mixed/Case", "v1.5.0-beta.1").build(),
            GoModule.builder("example.com/tree/v3", "v3.0.1").build(),
            GoModule.builder("example.com/oldstyle", "v2.3.0+incompatible").noGoMod().build(),
            GoModule.builder("example.com/tree", "v0.0.0-20240202020202-aaaabbbbcccc").build());

    static StaticGoProxy origin;
    static StaticGoProxy tree;
    static Path downloads;
    static List<ModDownload> fromOrigin;
    static VregServer vreg;
    static VregHttp http;
    static Path goCache;

    @BeforeAll
    static void start() throws Exception {
        goCache = Files.createDirectories(temp.resolve("gocache"));
        origin = StaticGoProxy.start(temp.resolve("origin"), MODULES.toArray(GoModule[]::new));
        GoTool filler = GoTool.builder(Files.createDirectories(temp.resolve("filler"))).proxy(origin.baseUrl())
                .goCache(goCache).build();
        fromOrigin = filler.modDownloadJson(MODULES.stream().map(GoModule::toString).toArray(String[]::new));
        assertThat(fromOrigin).extracting(ModDownload::error).containsOnlyNulls();
        origin.close();
        downloads = filler.modCache().resolve("cache/download");
        tree = StaticGoProxy.start(downloads);
        vreg = TestVreg.start(TestVreg.config(TestVreg.newDataDir(), List.of(tree.baseUrl())));
        http = new VregHttp(vreg);
    }

    @AfterAll
    static void stop() {
        if (vreg != null) {
            vreg.close();
        }
        if (tree != null) {
            tree.close();
        }
    }

    @Test
    void theGoCommandImportsTheTreeAsAFileProxyAndThroughVregAlike() throws Exception {
        String[] wanted = MODULES.stream().map(GoModule::toString).toArray(String[]::new);
        GoTool viaFile = GoTool.builder(Files.createDirectories(temp.resolve("file"))).proxy(downloads.toUri()
                .toString()).goCache(goCache).build();
        GoTool viaVreg = GoTool.builder(Files.createDirectories(temp.resolve("vreg"))).proxy(http.goproxy())
                .goCache(goCache).build();
        List<ModDownload> file = viaFile.modDownloadJson(wanted);
        List<ModDownload> vregged = viaVreg.modDownloadJson(wanted);
        for (List<ModDownload> got : List.of(file, vregged)) {
            assertThat(got).extracting(ModDownload::error).containsOnlyNulls();
            assertThat(got).extracting(ModDownload::sum)
                    .containsExactlyElementsOf(fromOrigin.stream().map(ModDownload::sum).toList());
            assertThat(got).extracting(ModDownload::goModSum)
                    .containsExactlyElementsOf(fromOrigin.stream().map(ModDownload::goModSum).toList());
        }
        Path app = GoTool.writeConsumer(Files.createDirectories(temp.resolve("app")), MODULES.get(0),
                MODULES.get(2), MODULES.get(3));
        viaVreg.run(app, "mod", "tidy").assertSuccess();
        viaVreg.run(app, "build", "-o", temp.resolve("app.bin").toString(), ".").assertSuccess();
    }

    @Test
    void vregServesTheBytesOfTheTreesFiles() throws Exception {
        for (GoModule m : MODULES) {
            for (String path : List.of(m.infoPath(), m.modPath(), m.zipPath())) {
                HttpResponse<byte[]> served = http.get(path);
                assertThat(served.statusCode()).as(path).isEqualTo(200);
                assertThat(served.body()).as(path).isEqualTo(Files.readAllBytes(file(path)));
            }
            String listPath = m.listPath();
            String onDisk = Files.readString(file(listPath));
            String expected = Arrays.stream(onDisk.split("\n")).filter(v -> !v.isBlank())
                    .filter(v -> !v.matches(".*-[0-9]{14}-[0-9a-f]{12}$"))
                    .map(v -> v + "\n").sorted().collect(Collectors.joining());
            assertThat(VregHttp.text(http.get(listPath))).as(listPath).isEqualTo(expected);
        }
        assertThat(Files.readString(file(MODULES.get(4).listPath()))).contains(MODULES.get(4).version());
    }

    @Test
    void theTreeHasNoLatestSoVregDerivesItFromTheListAsTheGoCommandChooses() throws Exception {
        HttpResponse<byte[]> latest = http.get(MODULES.get(0).latestPath());
        assertThat(latest.statusCode()).isEqualTo(200);
        assertThat(VregHttp.text(latest)).isEqualTo("{\"Version\":\"v1.4.0\"}");
        GoTool go = GoTool.builder(Files.createDirectories(temp.resolve("latest"))).proxy(http.goproxy())
                .goCache(goCache).build();
        assertThat(go.run("list", "-m", "example.com/Mixed/Case@latest").assertSuccess().stdout().strip())
                .isEqualTo("example.com/Mixed/Case v1.4.0");
    }

    @Test
    void aPseudoVersionOnlyModuleGetsItsLatestFromThePseudoVersionsTheUpstreamLists() throws Exception {
        GoModule pseudoOnly = MODULES.get(4);
        HttpResponse<byte[]> latest = http.get(pseudoOnly.latestPath());
        assertThat(latest.statusCode()).isEqualTo(200);
        assertThat(VregHttp.text(latest)).isEqualTo("{\"Version\":\"" + pseudoOnly.version()
                + "\",\"Time\":\"2024-02-02T02:02:02Z\"}");
        GoTool go = GoTool.builder(Files.createDirectories(temp.resolve("pseudo"))).proxy(http.goproxy())
                .goCache(goCache).build();
        assertThat(go.run("list", "-m", "example.com/tree@latest").assertSuccess().stdout().strip())
                .isEqualTo("example.com/tree " + pseudoOnly.version());
    }

    private static Path file(String requestPath) {
        return downloads.resolve(requestPath.substring(1));
    }
}
