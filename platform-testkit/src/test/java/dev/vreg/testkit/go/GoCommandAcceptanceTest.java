package dev.vreg.testkit.go;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real go command against {@link StaticGoProxy}: if go accepts the fixtures (paths, versions, info, mod, zip,
 * list, latest) and agrees with their computed hashes, the fixtures are exact.
 */
class GoCommandAcceptanceTest {

    private static final GoModule PLAIN_OLD = GoModule.builder("example.com/plain", "v1.0.0").build();
    private static final GoModule PLAIN = GoModule.builder("example.com/plain", "v1.1.0")
            .goPackage("sub").file("README.md", "plain fixture\n").build();
    private static final GoModule MAJOR = GoModule.builder("example.com/major/v2", "v2.3.0").build();
    private static final GoModule UPPER = GoModule.builder("example.com/Upper/Case", "v1.2.0").build();
    private static final GoModule LEGACY = GoModule.builder("example.com/legacy", "v2.1.0+incompatible").build();
    private static final GoModule PRERELEASE = GoModule.builder("example.com/pre", "v0.2.0-beta.1").build();
    private static final GoModule GOPKG = GoModule.builder("gopkg.in/fixture.v1", "v1.0.3").stored().build();
    private static final GoModule PSEUDO =
            GoModule.builder("example.com/pseudo", "v0.0.0-20240102030405-abcdefabcdef").build();
    /** Files the go command leaves out of a zip: a vendored package and a nested module. */
    private static final GoModule VENDORING = GoModule.builder("example.com/vendoring", "v1.0.0")
            .file("vendor/modules.txt", "# example.com/dep v1.0.0\n")
            .file("vendor/example.com/dep/dep.go", "package dep\n")
            .file("tools/go.mod", "module example.com/vendoring/tools\n")
            .file("tools/tools.go", "package tools\n").build();
    private static final List<GoModule> CONSUMED = List.of(PLAIN, MAJOR, UPPER, LEGACY, PRERELEASE, GOPKG, PSEUDO);

    @TempDir
    static Path classDir;
    private static StaticGoProxy proxy;

    @TempDir
    Path dir;
    private GoTool go;

    @BeforeAll
    static void startProxy() {
        proxy = StaticGoProxy.start(classDir.resolve("proxy"), PLAIN_OLD, PLAIN, MAJOR, UPPER, LEGACY, PRERELEASE,
                GOPKG, VENDORING).publishLatest(PSEUDO);
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    @BeforeEach
    void freshTool() {
        proxy.resetCounters();
        proxy.clearFaults();
        go = GoTool.builder(dir).proxy(proxy.baseUrl()).goCache(classDir.resolve("gocache")).build();
    }

    @Test
    void consumerOfEveryKindOfModuleBuildsAndRuns() throws Exception {
        Path app = GoTool.writeConsumer(dir.resolve("app"), CONSUMED.toArray(GoModule[]::new));
        go.run(app, "mod", "tidy").assertSuccess();
        go.run(app, "build", "-o", "app", ".").assertSuccess();

        Process run = new ProcessBuilder(app.resolve("app").toString()).redirectErrorStream(true).start();
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> expected = new ArrayList<>();
        CONSUMED.forEach(m -> m.packages().forEach(p -> expected.add(p + "@" + m.version())));
        assertThat(new String(run.getInputStream().readAllBytes()).lines()).containsExactlyElementsOf(expected);

        List<GoSumLine> sums = GoTool.readGoSum(app);
        CONSUMED.forEach(m -> assertThat(sums).as(m.toString()).containsAll(m.goSumLines()));
    }

    @Test
    void modDownloadJsonAcceptsEachModuleAndAgreesOnHashes() throws Exception {
        List<GoModule> all = List.of(PLAIN_OLD, PLAIN, MAJOR, UPPER, LEGACY, PRERELEASE, GOPKG, PSEUDO, VENDORING);
        List<ModDownload> downloads = go.modDownloadJson(all.stream().map(GoModule::toString).toArray(String[]::new));
        assertThat(downloads).hasSize(all.size());
        for (GoModule m : all) {
            ModDownload d = downloads.stream().filter(x -> x.path().equals(m.path())
                    && x.version().equals(m.version())).findFirst().orElseThrow(() -> new AssertionError(m));
            assertThat(d.error()).as(m.toString()).isNull();
            assertThat(d.sum()).as(m.toString()).isEqualTo(m.zipHash());
            assertThat(d.goModSum()).as(m.toString()).isEqualTo(m.goModHash());
            assertThat(Files.readAllBytes(Path.of(d.goMod()))).isEqualTo(m.modBytes());
            Path served = proxy.root().resolve(m.zipPath().substring(1));
            assertThat(Files.mismatch(Path.of(d.zip()), served)).as(m.toString()).isEqualTo(-1);
        }
        ModDownload vendoring = downloads.stream().filter(d -> d.path().equals(VENDORING.path())).findFirst()
                .orElseThrow();
        Path extracted = Path.of(vendoring.dir());
        assertThat(extracted.resolve("vendor/modules.txt")).exists();
        assertThat(extracted.resolve("vendor/example.com")).doesNotExist();
        assertThat(extracted.resolve("tools")).doesNotExist();
    }

    @Test
    void queriesResolveThroughListAndLatest() {
        assertThat(go.run("list", "-m", "example.com/plain@latest").assertSuccess().stdout().trim())
                .isEqualTo("example.com/plain v1.1.0");
        assertThat(go.run("list", "-m", "example.com/pre@latest").assertSuccess().stdout().trim())
                .isEqualTo("example.com/pre v0.2.0-beta.1");
        assertThat(go.run("list", "-m", "example.com/pseudo@latest").assertSuccess().stdout().trim())
                .isEqualTo("example.com/pseudo " + PSEUDO.version());
        assertThat(go.run("list", "-m", "-versions", "example.com/Upper/Case").assertSuccess().stdout().trim())
                .isEqualTo("example.com/Upper/Case v1.2.0");
        assertThat(proxy.requestCount(PSEUDO.latestPath())).isEqualTo(1);
        assertThat(proxy.requestCount(UPPER.listPath())).isEqualTo(1);
    }

    @Test
    void connectionDroppedMidBodyFailsTheDownloadAndTheNextAttemptSucceeds() {
        proxy.inject(PLAIN.zipPath(), Fault.dropConnectionAfter(200).once());
        GoResult failed = go.run("mod", "download", "-json", PLAIN.toString()).assertFailure();
        assertThat(failed.stdout()).contains("\"Error\"").contains("unexpected EOF");

        List<ModDownload> retried = go.modDownloadJson(PLAIN.toString());
        assertThat(retried).singleElement().satisfies(d -> assertThat(d.sum()).isEqualTo(PLAIN.zipHash()));
        assertThat(proxy.requestCount(PLAIN.zipPath())).isEqualTo(2);
    }

    @Test
    void injectedStatusReachesTheGoCommand() {
        proxy.inject(UPPER.infoPath(), Fault.status(503));
        GoResult result = go.run("mod", "download", UPPER.toString()).assertFailure();
        assertThat(result.stderr()).contains("503");
    }

    @Test
    void requestsAreCountedAndTheModuleCacheIsNotRefetched() {
        go.modDownloadJson(MAJOR.toString());
        assertThat(proxy.requestCount(MAJOR.modPath())).isEqualTo(1);
        assertThat(proxy.requestCount(MAJOR.zipPath())).isEqualTo(1);
        int afterFirst = proxy.totalRequests();
        assertThat(afterFirst).isEqualTo(proxy.requestedPaths().size()).isGreaterThanOrEqualTo(2);

        go.modDownloadJson(MAJOR.toString());
        assertThat(proxy.totalRequests()).isEqualTo(afterFirst);

        GoTool cold = GoTool.builder(dir).proxy(proxy.baseUrl()).goCache(classDir.resolve("gocache")).build();
        cold.modDownloadJson(MAJOR.toString());
        assertThat(proxy.requestCount(MAJOR.zipPath())).isEqualTo(2);
    }

    @Test
    void largeStoredModuleDownloads() {
        GoModule large = GoModule.builder("example.com/large", "v1.0.0").stored()
                .file("blob/a.bin", FileContent.pseudoRandom(1, 60L << 20))
                .file("blob/b.bin", FileContent.pseudoRandom(2, 45L << 20))
                .build();
        proxy.publish(large);
        assertThat(go.modDownloadJson(large.toString())).singleElement().satisfies(d -> {
            assertThat(d.error()).isNull();
            assertThat(d.sum()).isEqualTo(large.zipHash());
        });
    }
}
