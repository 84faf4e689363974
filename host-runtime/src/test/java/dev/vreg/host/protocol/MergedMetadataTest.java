package dev.vreg.host.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.Fault;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoProxyTree;
import dev.vreg.testkit.go.GoResult;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.ModDownload;
import dev.vreg.testkit.go.StaticGoProxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * METADATA merged across upstreams, as the real go command reads it: {@code @v/list} is the union of what every
 * upstream lists, filtered to canonical non-pseudo versions of the path's major version; {@code @latest} is the
 * highest release, else prerelease, else newest pseudo-version of any upstream; retractions and deprecations come
 * from the go.mod of the latest version wherever it lives.
 */
class MergedMetadataTest {

    @TempDir
    static Path temp;

    static final String DEPRECATION = "use example.com/successor instead.";
    static final GoModule RETRACT_OLD = GoModule.builder("example.com/retract", "v1.0.0").build();
    static final GoModule RETRACT_BAD = GoModule.builder("example.com/retract", "v1.1.0").build();
    static final GoModule RETRACT_LATEST = GoModule.builder("example.com/retract", "v1.2.0")
            .goMod("// Deprecated: " + DEPRECATION + "\nmodule example.com/retract\n\ngo 1.21\n\n"
                    + "retract v1.1.0 // broken build\n")
            .build();

    static final GoModule MULTI_V1 = GoModule.builder("example.com/multi", "v1.5.0").build();
    static final GoModule MULTI_V2_OLD = GoModule.builder("example.com/multi/v2", "v2.0.0").build();
    static final GoModule MULTI_V2_NEW = GoModule.builder("example.com/multi/v2", "v2.1.0").build();

    static final GoModule GOPKG_OLD = GoModule.builder("gopkg.in/fixture.v2", "v2.0.0").build();
    static final GoModule GOPKG_NEW = GoModule.builder("gopkg.in/fixture.v2", "v2.1.0").build();

    static final GoModule LEGACY_V1 = GoModule.builder("example.com/legacy", "v1.0.0").build();
    static final GoModule LEGACY_V2 = GoModule.builder("example.com/legacy", "v2.0.0+incompatible").noGoMod()
            .build();

    static final GoModule PSEUDO_OLD = GoModule.builder("example.com/pseudo",
            "v0.0.0-20240102030405-abcdefabcdef").build();
    static final GoModule PSEUDO_NEW = GoModule.builder("example.com/pseudo",
            "v0.0.0-20240301000000-0123456789ab").build();

    static final GoModule PRE_ONE = GoModule.builder("example.com/pre", "v1.0.0-rc.1").build();
    static final GoModule PRE_TWO = GoModule.builder("example.com/pre", "v1.0.0-rc.2").build();

    static final GoModule NO_TAGS = GoModule.builder("example.com/notags",
            "v0.0.0-20240105000000-fedcba987654").build();

    static final GoModule RELEASED = GoModule.builder("example.com/released", "v1.2.0").build();
    static final GoModule RELEASED_PRE = GoModule.builder("example.com/released", "v1.5.0-rc.1").build();
    static final GoModule RANKED_PRE = GoModule.builder("example.com/ranked", "v1.3.0-rc.1").build();
    static final GoModule RANKED_PSEUDO = GoModule.builder("example.com/ranked",
            "v1.3.1-0.20250101000000-abcdefabcdef").build();

    static final GoModule SLOW_A = GoModule.builder("example.com/slow", "v1.0.0").build();
    static final GoModule SLOW_B = GoModule.builder("example.com/slow", "v1.1.0").build();
    static final Duration SLOW = Duration.ofMillis(1500);

    static StaticGoProxy primary;
    static StaticGoProxy secondary;
    static VregServer vreg;
    static VregHttp http;
    static Path goCache;

    @BeforeAll
    static void start() throws Exception {
        primary = StaticGoProxy.start(temp.resolve("primary"), RETRACT_OLD, RETRACT_BAD, MULTI_V1, MULTI_V2_NEW,
                GOPKG_OLD, LEGACY_V1, PRE_ONE);
        primary.publishLatest(PSEUDO_OLD);
        primary.publishLatest(NO_TAGS);
        secondary = StaticGoProxy.start(temp.resolve("secondary"), RETRACT_LATEST, MULTI_V2_OLD, GOPKG_NEW,
                LEGACY_V2, PRE_TWO);
        secondary.publishLatest(PSEUDO_NEW);
        primary.publish(SLOW_A).inject(SLOW_A.listPath(), Fault.delay(SLOW));
        secondary.publish(SLOW_B).inject(SLOW_B.listPath(), Fault.delay(SLOW));
        primary.publishLatest(RANKED_PSEUDO);
        secondary.publishLatest(RANKED_PRE);
        primary.publishLatest(RELEASED_PRE);
        secondary.publishLatest(RELEASED);
        // A careless upstream lists shorthands, pseudo-versions and other major versions.
        Files.writeString(GoProxyTree.moduleDir(primary.root(), MULTI_V1).resolve("@v/list"),
                "v1.5.0 2024-01-01T00:00:00Z\nv1.6\nv2.0.0\nv1.5.1-0.20240101000000-abcdefabcdef\n"
                        + "v1.4.0+meta\n\n  v1.3.0  \nnot-a-version\n", StandardCharsets.UTF_8);
        Files.writeString(GoProxyTree.moduleDir(primary.root(), MULTI_V2_NEW).resolve("@v/list"),
                "v2.1.0\nv1.9.0\nv3.0.0\n", StandardCharsets.UTF_8);
        vreg = TestVreg.start(TestVreg.config(TestVreg.newDataDir(),
                List.of(primary.baseUrl(), secondary.baseUrl())));
        http = new VregHttp(vreg);
        goCache = Files.createDirectories(temp.resolve("gocache"));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {vreg, primary, secondary}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // Closing the rest matters more.
            }
        }
    }

    static GoTool go(String name) throws Exception {
        return GoTool.builder(Files.createDirectories(temp.resolve(name))).proxy(http.goproxy()).goCache(goCache)
                .build();
    }

    static String list(GoTool go, String... args) {
        String[] command = new String[args.length + 2];
        command[0] = "list";
        command[1] = "-m";
        System.arraycopy(args, 0, command, 2, args.length);
        return go.run(command).assertSuccess().stdout().strip();
    }

    @Test
    void retractedVersionsAreHiddenFromVersionsButListedWithRetractedAndStayDownloadable() throws Exception {
        GoTool go = go("retract");
        assertThat(list(go, "-versions", "example.com/retract")).isEqualTo("example.com/retract v1.0.0 v1.2.0");
        assertThat(list(go, "-versions", "-retracted", "example.com/retract"))
                .isEqualTo("example.com/retract v1.0.0 v1.1.0 v1.2.0");
        assertThat(go.modDownloadJson("example.com/retract@v1.1.0")).singleElement()
                .extracting(ModDownload::sum).isEqualTo(RETRACT_BAD.zipHash());
        assertThat(VregHttp.text(http.get(RETRACT_LATEST.listPath()))).isEqualTo("v1.0.0\nv1.1.0\nv1.2.0\n");
    }

    @Test
    void aDeprecationInTheLatestGoModIsShownByListU() throws Exception {
        GoTool go = go("deprecated");
        Path app = GoTool.writeConsumer(Files.createDirectories(temp.resolve("deprecated-app")), RETRACT_BAD);
        go.run(app, "mod", "tidy").assertSuccess();
        GoResult listed = go.run(app, "list", "-m", "-u", "-f",
                "{{.Path}} {{.Version}} {{if .Update}}{{.Update.Version}}{{end}} [{{.Deprecated}}] {{.Retracted}}",
                "example.com/retract").assertSuccess();
        assertThat(listed.stdout().strip()).isEqualTo("example.com/retract v1.1.0 v1.2.0 [" + DEPRECATION
                + "] [broken build]");
        assertThat(go.run(app, "list", "-m", "-u", "example.com/retract").assertSuccess().stdout())
                .contains("(deprecated)");
    }

    @Test
    void majorVersionSuffixesListOnlyTheirOwnMajorVersion() throws Exception {
        GoTool go = go("majors");
        assertThat(list(go, "-versions", "example.com/multi")).isEqualTo("example.com/multi v1.3.0 v1.5.0");
        assertThat(list(go, "-versions", "example.com/multi/v2")).isEqualTo("example.com/multi/v2 v2.0.0 v2.1.0");
        assertThat(list(go, "-versions", "gopkg.in/fixture.v2")).isEqualTo("gopkg.in/fixture.v2 v2.0.0 v2.1.0");
        assertThat(VregHttp.text(http.get(MULTI_V1.listPath()))).isEqualTo("v1.3.0\nv1.5.0\n");
        assertThat(VregHttp.text(http.get(MULTI_V2_NEW.listPath()))).isEqualTo("v2.0.0\nv2.1.0\n");
        List<ModDownload> got = go.modDownloadJson("example.com/multi/v2@latest", "gopkg.in/fixture.v2@latest");
        assertThat(got).extracting(ModDownload::version).containsExactly("v2.1.0", "v2.1.0");
        assertThat(got).extracting(ModDownload::sum).containsExactly(MULTI_V2_NEW.zipHash(), GOPKG_NEW.zipHash());
    }

    @Test
    void incompatibleVersionsHaveTheSyntheticGoModAndDoNotBecomeLatest() throws Exception {
        GoTool go = go("incompatible");
        assertThat(list(go, "-versions", "example.com/legacy"))
                .isEqualTo("example.com/legacy v1.0.0 v2.0.0+incompatible");
        // v1.0.0 has a real go.mod, so the go command passes over +incompatible versions for latest.
        assertThat(list(go, "example.com/legacy@latest")).isEqualTo("example.com/legacy v1.0.0");
        List<ModDownload> got = go.modDownloadJson("example.com/legacy@v2.0.0+incompatible");
        assertThat(got).singleElement().satisfies(d -> {
            assertThat(d.error()).isNull();
            assertThat(d.sum()).isEqualTo(LEGACY_V2.zipHash());
            assertThat(d.goModSum()).isEqualTo(LEGACY_V2.goModHash());
            assertThat(Files.readString(Path.of(d.goMod()))).isEqualTo("module example.com/legacy\n");
        });
        var mod = http.get(LEGACY_V2.modPath());
        assertThat(VregHttp.text(mod)).isEqualTo("module example.com/legacy\n");
        assertThat(http.recordedH1(LEGACY_V2.modPath())).isEqualTo(LEGACY_V2.goModHash());
    }

    @Test
    void aPseudoVersionOnlyModuleResolvesToTheNewestPseudoVersionOfAnyUpstream() throws Exception {
        GoTool go = go("pseudo");
        assertThat(list(go, "example.com/pseudo@latest")).isEqualTo("example.com/pseudo " + PSEUDO_NEW.version());
        assertThat(go.modDownloadJson("example.com/pseudo@latest")).singleElement()
                .extracting(ModDownload::sum).isEqualTo(PSEUDO_NEW.zipHash());
        assertThat(VregHttp.text(http.get(PSEUDO_NEW.latestPath()))).isEqualTo(PSEUDO_NEW.infoJson());
        assertThat(VregHttp.text(http.get(PSEUDO_NEW.listPath()))).isEmpty();
    }

    @Test
    void aPrereleaseOnlyModuleResolvesToTheHighestPrereleaseOfAnyUpstream() throws Exception {
        GoTool go = go("pre");
        assertThat(list(go, "-versions", "example.com/pre")).isEqualTo("example.com/pre v1.0.0-rc.1 v1.0.0-rc.2");
        assertThat(list(go, "example.com/pre@latest")).isEqualTo("example.com/pre v1.0.0-rc.2");
    }

    @Test
    void aModuleWithoutTagsHasAnEmptyListAndItsLatestIsServed() throws Exception {
        var listed = http.get(NO_TAGS.listPath());
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).isEmpty();
        assertThat(listed.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(list(go("notags"), "example.com/notags@latest"))
                .isEqualTo("example.com/notags " + NO_TAGS.version());
    }

    @Test
    void downloadSumsEqualTheHashesVregComputed() throws Exception {
        List<GoModule> modules = List.of(RETRACT_OLD, MULTI_V1, MULTI_V2_OLD, GOPKG_OLD, LEGACY_V1, PRE_ONE,
                PSEUDO_OLD);
        String[] args = modules.stream().map(GoModule::toString).toArray(String[]::new);
        List<ModDownload> got = go("sums").modDownloadJson(args);
        assertThat(got).hasSize(modules.size());
        for (int i = 0; i < modules.size(); i++) {
            GoModule m = modules.get(i);
            assertThat(got.get(i).error()).isNull();
            assertThat(http.recordedH1(m.zipPath())).as(m.toString()).isEqualTo(got.get(i).sum());
            assertThat(http.recordedH1(m.modPath())).as(m.toString()).isEqualTo(got.get(i).goModSum());
        }
    }

    @Test
    void latestPrefersAReleaseThenAPrereleaseThenAPseudoVersionWhateverTheirNumbersAndPriorities() {
        assertThat(VregHttp.text(http.get(RELEASED.latestPath()))).isEqualTo(RELEASED.infoJson());
        assertThat(VregHttp.text(http.get(RANKED_PRE.latestPath()))).isEqualTo(RANKED_PRE.infoJson());
    }

    @Test
    void everyUpstreamIsAskedForAListAtTheSameTime() {
        long started = System.nanoTime();
        assertThat(VregHttp.text(http.get(SLOW_A.listPath()))).isEqualTo("v1.0.0\nv1.1.0\n");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(SLOW.multipliedBy(2));
    }
}
