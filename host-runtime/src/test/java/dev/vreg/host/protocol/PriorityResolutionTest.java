package dev.vreg.host.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoResult;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.ModDownload;
import dev.vreg.testkit.go.StaticGoProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CONTENT resolution across several upstreams, as the real go command sees it: the first upstream by position that
 * has a file serves it and it is cached under that upstream; a copy cached under any upstream is served without
 * asking the others; an upstream whose module path hints do not match is never asked.
 */
class PriorityResolutionTest {

    @TempDir
    static Path temp;

    /** In both upstreams with different files: the primary's copy must win. */
    static final GoModule SHARED_PRIMARY = GoModule.builder("example.com/shared", "v1.0.0")
            .file("origin.txt", "primary").build();
    static final GoModule SHARED_SECONDARY = GoModule.builder("example.com/shared", "v1.0.0")
            .file("origin.txt", "secondary").build();
    /** Only the lower-priority upstream has the newer version. */
    static final GoModule SHARED_NEWER = GoModule.builder("example.com/shared", "v1.2.0").build();
    static final GoModule SHARED_NEWER_ELSEWHERE = GoModule.builder("example.com/shared", "v1.2.0")
            .file("origin.txt", "primary, published later").build();
    static final GoModule UPPER_OLD = GoModule.builder("example.com/Upper/Case", "v1.0.0").build();
    static final GoModule UPPER_NEW = GoModule.builder("example.com/Upper/Case", "v1.1.0").build();
    static final GoModule PRIVATE = GoModule.builder("corp.example/team/secret", "v0.1.0").build();
    static final GoModule GLOBBED = GoModule.builder("git.corp.example/tools", "v1.0.0").build();
    static final GoModule NOT_CORP = GoModule.builder("example.com/misplaced", "v1.0.0").build();

    static StaticGoProxy primary;
    static StaticGoProxy secondary;
    static StaticGoProxy corp;
    static VregServer vreg;
    static VregHttp http;
    static Path goCache;

    @BeforeAll
    static void start() throws Exception {
        primary = StaticGoProxy.start(temp.resolve("primary"), SHARED_PRIMARY, UPPER_OLD);
        secondary = StaticGoProxy.start(temp.resolve("secondary"), SHARED_SECONDARY, SHARED_NEWER, UPPER_NEW);
        corp = StaticGoProxy.start(temp.resolve("corp"), PRIVATE, GLOBBED, NOT_CORP);
        vreg = TestVreg.start(TestVreg.config(TestVreg.newDataDir(),
                List.of(primary.baseUrl(), secondary.baseUrl(), corp.baseUrl())));
        http = new VregHttp(vreg);
        http.updateUpstream(corp.baseUrl(), "module_hints = $2", (Object) new String[] {"corp.example", "*.corp.example"});
        goCache = Files.createDirectories(temp.resolve("gocache"));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {vreg, primary, secondary, corp}) {
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

    @Test
    void theFirstUpstreamByPositionThatHasAVersionServesItAndHoldsIt() throws Exception {
        List<ModDownload> got = go("priority").modDownloadJson("example.com/shared@v1.0.0");
        assertThat(got).singleElement().satisfies(d -> {
            assertThat(d.error()).isNull();
            assertThat(d.sum()).isEqualTo(SHARED_PRIMARY.zipHash()).isNotEqualTo(SHARED_SECONDARY.zipHash());
            assertThat(d.goModSum()).isEqualTo(SHARED_PRIMARY.goModHash());
        });
        assertThat(secondary.requestCount(SHARED_SECONDARY.zipPath())).isZero();
        assertThat(secondary.requestCount(SHARED_SECONDARY.modPath())).isZero();
        assertThat(http.holder(SHARED_PRIMARY.zipPath())).isEqualTo(primary.baseUrl());
        assertThat(http.recordedH1(SHARED_PRIMARY.zipPath())).isEqualTo(SHARED_PRIMARY.zipHash());
        assertThat(http.recordedH1(SHARED_PRIMARY.modPath())).isEqualTo(SHARED_PRIMARY.goModHash());
    }

    @Test
    void goGetUpgradesToAVersionOnlyALowerPriorityUpstreamHasAndACopyHeldByAnyUpstreamIsServed() throws Exception {
        GoTool go = go("upgrade");
        Path app = GoTool.writeConsumer(Files.createDirectories(temp.resolve("upgrade-app")), SHARED_PRIMARY);
        go.run(app, "mod", "tidy").assertSuccess();
        go.run(app, "get", "-u", "example.com/shared").assertSuccess();
        assertThat(Files.readString(app.resolve("go.mod"))).contains("example.com/shared v1.2.0");
        assertThat(GoTool.readGoSum(app)).containsAll(SHARED_NEWER.goSumLines());
        assertThat(http.holder(SHARED_NEWER.zipPath())).isEqualTo(secondary.baseUrl());
        int primaryAsked = primary.requestCount(SHARED_NEWER.zipPath());
        assertThat(primaryAsked).isEqualTo(1);

        // The primary now has a (different) v1.2.0, but the copy cached under the secondary is what vreg serves.
        primary.publish(SHARED_NEWER_ELSEWHERE);
        List<ModDownload> again = go("upgrade-again").modDownloadJson("example.com/shared@v1.2.0");
        assertThat(again).singleElement().extracting(ModDownload::sum).isEqualTo(SHARED_NEWER.zipHash());
        assertThat(primary.requestCount(SHARED_NEWER.zipPath())).isEqualTo(primaryAsked);
    }

    @Test
    void bangEscapedPathsResolveAcrossUpstreamsInBothSpellings() throws Exception {
        GoResult versions = go("upper").run("list", "-m", "-versions", "example.com/Upper/Case").assertSuccess();
        assertThat(versions.stdout().strip()).isEqualTo("example.com/Upper/Case v1.0.0 v1.1.0");
        List<ModDownload> got = go("upper-dl").modDownloadJson("example.com/Upper/Case@v1.1.0",
                "example.com/Upper/Case@v1.0.0");
        assertThat(got).extracting(ModDownload::sum).containsExactly(UPPER_NEW.zipHash(), UPPER_OLD.zipHash());
        // The go command sent %21; the raw '!' spelling names the same cached file.
        assertThat(secondary.requestedPaths()).contains(UPPER_NEW.zipPath());
        var raw = http.get("/example.com/!upper/!case/@v/v1.1.0.mod");
        var encoded = http.get("/example.com/%21upper/%21case/@v/v1.1.0.mod");
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(encoded.statusCode()).isEqualTo(200);
        assertThat(raw.body()).isEqualTo(encoded.body()).isEqualTo(UPPER_NEW.modBytes());
        assertThat(http.entries(UPPER_NEW.modPath(), "CONTENT")).isOne();
        assertThat(secondary.requestCount(UPPER_NEW.modPath())).isOne();
    }

    @Test
    void anUpstreamWhoseHintsDoNotMatchIsNeverAsked() throws Exception {
        List<ModDownload> got = go("hints").modDownloadJson("corp.example/team/secret@v0.1.0");
        assertThat(got).singleElement().extracting(ModDownload::sum).isEqualTo(PRIVATE.zipHash());
        // Every upstream is asked for the hinted path except where the hints say otherwise: the hint-less
        // upstreams are eligible too, and said "not found".
        assertThat(corp.requestCount(PRIVATE.zipPath())).isOne();
        assertThat(go("hints-glob").modDownloadJson("git.corp.example/tools@v1.0.0")).singleElement()
                .extracting(ModDownload::sum).isEqualTo(GLOBBED.zipHash());

        GoResult misplaced = go("hints-miss").run("mod", "download", "example.com/misplaced@v1.0.0");
        misplaced.assertFailure();
        assertThat(misplaced.stderr()).contains("404");
        assertThat(corp.requestedPaths()).noneMatch(p -> p.startsWith("/example.com/"));
    }
}
