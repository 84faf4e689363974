package dev.vreg.host.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoProxyTree;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.ModDownload;
import dev.vreg.testkit.go.StaticGoProxy;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP side of the GOPROXY protocol as a plain client sees it: methods, HEAD, ETags, byte ranges, content types,
 * path decoding and refusal, and bodies that never change once served.
 */
class HttpSemanticsTest {

    @TempDir
    static Path temp;

    static final GoModule PLAIN = GoModule.builder("example.com/plain", "v1.0.0")
            .file("data.txt", "0123456789".repeat(100)).build();
    static final GoModule PLAIN_REBUILT = GoModule.builder("example.com/plain", "v1.0.0")
            .file("data.txt", "rebuilt with other content").build();
    static final GoModule LEGACY = GoModule.builder("example.com/legacy", "v2.0.0+incompatible").noGoMod().build();
    static final GoModule ORIGIN = GoModule.builder("example.com/origin", "v1.0.0").build();
    static final GoModule NO_TIME = GoModule.builder("example.com/origin", "v1.1.0").build();
    static final GoModule UNTOUCHED = GoModule.builder("example.com/untouched", "v1.0.0").build();
    static final GoModule FRESH = GoModule.builder("example.com/fresh", "v1.0.0").build();
    static final GoModule EMPTY_TIME = GoModule.builder("example.com/emptytime", "v1.0.0").build();
    static final GoModule OTHER_VERSION = GoModule.builder("example.com/otherversion", "v1.0.0").build();
    static final GoModule OTHER_PATH = GoModule.builder("example.com/otherpath", "v1.0.0").build();

    static final String ORIGIN_INFO = "{\"Version\":\"v1.0.0\",\"Time\":\"2024-01-01T00:00:00Z\","
            + "\"Origin\":{\"VCS\":\"git\",\"URL\":\"https://example.com/origin\",\"Hash\":"
            + "\"0123456789abcdef0123456789abcdef01234567\",\"Ref\":\"refs/tags/v1.0.0\"},\"Unknown\":[1,2]}";

    static StaticGoProxy upstream;
    static VregServer vreg;
    static VregHttp http;
    static Path goCache;

    @BeforeAll
    static void start() throws Exception {
        upstream = StaticGoProxy.start(temp.resolve("upstream"), PLAIN, LEGACY, ORIGIN, NO_TIME, UNTOUCHED,
                EMPTY_TIME, OTHER_VERSION, OTHER_PATH, FRESH);
        Files.writeString(GoProxyTree.moduleDir(upstream.root(), EMPTY_TIME).resolve("@v/v1.0.0.info"),
                "{\"Version\":\"v1.0.0\",\"Time\":\"\"}", StandardCharsets.UTF_8);
        Files.writeString(GoProxyTree.moduleDir(upstream.root(), OTHER_VERSION).resolve("@v/v1.0.0.info"),
                "{\"Version\":\"v1.0.1\",\"Time\":\"2024-01-01T00:00:00Z\"}", StandardCharsets.UTF_8);
        Files.writeString(GoProxyTree.moduleDir(upstream.root(), OTHER_PATH).resolve("@v/v1.0.0.mod"),
                "// A fork that kept its original module line.\nmodule \"example.com/original\" // upstream\n",
                StandardCharsets.UTF_8);
        Path versions = GoProxyTree.moduleDir(upstream.root(), ORIGIN).resolve("@v");
        Files.writeString(versions.resolve("v1.0.0.info"), ORIGIN_INFO, StandardCharsets.UTF_8);
        Files.writeString(versions.resolve("v1.1.0.info"), "{\"Version\":\"v1.1.0\"}\n", StandardCharsets.UTF_8);
        vreg = TestVreg.start(TestVreg.config(TestVreg.newDataDir(), List.of(upstream.baseUrl())));
        http = new VregHttp(vreg);
        goCache = Files.createDirectories(temp.resolve("gocache"));
    }

    @AfterAll
    static void stop() {
        if (vreg != null) {
            vreg.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    static byte[] zipBytes(GoModule module) throws Exception {
        Path zip = temp.resolve(module.path().replace('/', '_') + "-" + module.version() + ".zip");
        module.writeZip(zip);
        return Files.readAllBytes(zip);
    }

    @Test
    void contentTypesFollowTheReferenceProxies() {
        assertThat(http.get(PLAIN.listPath()).headers().firstValue("Content-Type"))
                .hasValue("text/plain; charset=utf-8");
        assertThat(http.get(PLAIN.modPath()).headers().firstValue("Content-Type"))
                .hasValue("text/plain; charset=utf-8");
        assertThat(http.get(PLAIN.infoPath()).headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(http.get(PLAIN.zipPath()).headers().firstValue("Content-Type")).hasValue("application/zip");
    }

    @Test
    void headAnswersEveryRouteWithTheHeadersOfGetAndNoBody() throws Exception {
        for (String path : List.of(UNTOUCHED.zipPath(), UNTOUCHED.modPath(), UNTOUCHED.infoPath(),
                UNTOUCHED.listPath())) {
            HttpResponse<byte[]> head = http.send("HEAD", path);
            HttpResponse<byte[]> get = http.get(path);
            assertThat(head.statusCode()).as(path).isEqualTo(200);
            assertThat(head.body()).as(path).isEmpty();
            assertThat(head.headers().firstValue("Content-Length")).as(path)
                    .hasValue(Integer.toString(get.body().length));
            assertThat(head.headers().firstValue("ETag")).as(path).isEqualTo(get.headers().firstValue("ETag"));
            assertThat(head.headers().firstValue("Content-Type")).as(path)
                    .isEqualTo(get.headers().firstValue("Content-Type"));
        }
        assertThat(http.send("HEAD", "/example.com/absent/@v/v1.0.0.zip").statusCode()).isEqualTo(404);
    }

    @Test
    void aSmallFileCarriesItsStrongEtagAlreadyOnTheFetchThatCachesIt() {
        HttpResponse<byte[]> first = http.get(FRESH.modPath());
        HttpResponse<byte[]> cached = http.get(FRESH.modPath());
        assertThat(upstream.requestCount(FRESH.modPath())).isOne();
        assertThat(first.headers().firstValue("ETag")).isPresent().isEqualTo(cached.headers().firstValue("ETag"));
        assertThat(first.headers().firstValue("Content-Length")).hasValue(Integer.toString(first.body().length));
    }

    @Test
    void otherMethodsAreRefusedWith405() {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS")) {
            HttpResponse<byte[]> response = http.send(method, PLAIN.zipPath());
            assertThat(response.statusCode()).as(method).isEqualTo(405);
            assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        }
    }

    @Test
    void zipsCarryAStrongEtagAndResumeWithRangeAndIfRange() throws Exception {
        byte[] whole = zipBytes(PLAIN);
        http.get(PLAIN.zipPath());
        HttpResponse<byte[]> full = http.get(PLAIN.zipPath(), "Accept-Encoding", "gzip");
        assertThat(full.statusCode()).isEqualTo(200);
        assertThat(full.body()).isEqualTo(whole);
        assertThat(full.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(full.headers().firstValue("Content-Length")).hasValue(Integer.toString(whole.length));
        String etag = full.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).startsWith("\"").endsWith("\"").doesNotStartWith("W/");

        HttpResponse<byte[]> rest = http.get(PLAIN.zipPath(), "Range", "bytes=100-", "If-Range", etag);
        assertThat(rest.statusCode()).isEqualTo(206);
        assertThat(rest.headers().firstValue("Content-Range"))
                .hasValue("bytes 100-" + (whole.length - 1) + "/" + whole.length);
        assertThat(rest.body()).isEqualTo(Arrays.copyOfRange(whole, 100, whole.length));

        HttpResponse<byte[]> middle = http.get(PLAIN.zipPath(), "Range", "bytes=10-19");
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 10-19/" + whole.length);
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(whole, 10, 20));

        HttpResponse<byte[]> changed = http.get(PLAIN.zipPath(), "Range", "bytes=100-", "If-Range", "\"other\"");
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).isEqualTo(whole);

        HttpResponse<byte[]> beyond = http.get(PLAIN.zipPath(), "Range", "bytes=" + whole.length + "-");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */" + whole.length);

        assertThat(http.get(PLAIN.zipPath(), "If-None-Match", etag).statusCode()).isEqualTo(304);
    }

    @Test
    void servedModAndZipBytesNeverChangeWhenTheUpstreamRepublishes() throws Exception {
        http.get(PLAIN.zipPath());
        HttpResponse<byte[]> zip = http.get(PLAIN.zipPath());
        HttpResponse<byte[]> mod = http.get(PLAIN.modPath());
        upstream.publish(PLAIN_REBUILT);
        try {
            HttpResponse<byte[]> zipAgain = http.get(PLAIN.zipPath());
            assertThat(zipAgain.body()).isEqualTo(zip.body()).isEqualTo(zipBytes(PLAIN));
            assertThat(zipAgain.headers().firstValue("ETag")).isEqualTo(zip.headers().firstValue("ETag"));
            assertThat(http.get(PLAIN.modPath()).body()).isEqualTo(mod.body());
        } finally {
            upstream.publish(PLAIN);
        }
    }

    @Test
    void bothEscapeSpellingsAndALiteralPlusAreDecodedOnce() {
        HttpResponse<byte[]> plus = http.get("/example.com/legacy/@v/v2.0.0+incompatible.info");
        HttpResponse<byte[]> encoded = http.get("/example.com/legacy/@v/v2.0.0%2Bincompatible.info");
        assertThat(plus.statusCode()).isEqualTo(200);
        assertThat(VregHttp.text(plus)).isEqualTo(LEGACY.infoJson());
        assertThat(encoded.body()).isEqualTo(plus.body());
        assertThat(http.get("/example.com/legacy/@v/v2.0.0+incompatible.mod").body())
                .isEqualTo("module example.com/legacy\n".getBytes(StandardCharsets.UTF_8));
        assertThat(http.entries(LEGACY.infoPath(), "CONTENT")).isOne();
    }

    @Test
    void malformedPathsAre404WithAShortPlainTextReasonAndReachNoUpstream() {
        int before = upstream.totalRequests();
        List<String> bad = List.of(
                "/example.com/Upper/@v/list",           // raw uppercase
                "/example.com/!/@v/list",               // '!' not followed by a letter
                "/example.com/a!/@v/list",              // trailing '!'
                "/example.com/%21%21x/@v/list",         // "!!" after decoding
                "/nodot/m/@v/list",                     // first element without a dot
                "/example.com/../m/@v/list",            // dot element
                "/example.com/m/@v/v1.0.zip",           // non-canonical version for a file
                "/example.com/m/@v/v2.0.0.mod",         // v2 on an unsuffixed path without +incompatible
                "/example.com/m/v2/@v/v1.0.0.zip",      // wrong major version for the suffix
                "/example.com/m/v1/@v/list",            // /v1 is not a major suffix
                "/example.com/m/@v/v1.0.0.tar",         // unknown file
                "/example.com/m/@v/v1.0.0!.info",       // trailing '!' in a version
                "/example.com/m",                       // no GOPROXY file at all
                "/example.com/con/@v/list");            // Windows reserved name
        for (String path : bad) {
            HttpResponse<byte[]> response = http.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).as(path)
                    .hasValue("text/plain; charset=utf-8");
            String text = VregHttp.text(response);
            assertThat(text).as(path).isNotBlank().endsWith("\n").hasSizeLessThan(648);
            assertThat(text.strip()).as(path).doesNotContain("\n");
        }
        assertThat(http.rawStatusLine("/example.com/%zz/@v/list")).isEqualTo("HTTP/1.1 404 Not Found");
        assertThat(upstream.totalRequests()).as("%s", upstream.requestedPaths()).isEqualTo(before);
    }

    @Test
    void infoForACanonicalVersionEchoesItAndPassesOriginAndUnknownFieldsThrough() throws Exception {
        assertThat(VregHttp.text(http.get(ORIGIN.infoPath()))).isEqualTo(ORIGIN_INFO);
        assertThat(VregHttp.text(http.get(NO_TIME.infoPath()))).isEqualTo("{\"Version\":\"v1.1.0\"}\n");
        GoTool go = GoTool.builder(Files.createDirectories(temp.resolve("origin"))).proxy(http.goproxy())
                .goCache(goCache).build();
        List<ModDownload> got = go.modDownloadJson("example.com/origin@v1.0.0", "example.com/origin@v1.1.0");
        assertThat(got).extracting(ModDownload::error).containsOnlyNulls();
        // The go command re-encodes .info in its own cache, so only the fields it knows can be compared there.
        assertThat(Files.readString(Path.of(got.get(0).info()))).contains("\"Ref\":\"refs/tags/v1.0.0\"");
    }

    @Test
    void theBaseUrlWorksWithATrailingSlash() throws Exception {
        GoTool go = GoTool.builder(Files.createDirectories(temp.resolve("slash"))).proxy(http.goproxy() + "/")
                .goCache(goCache).build();
        assertThat(go.run("list", "-m", "-versions", "example.com/untouched").assertSuccess().stdout().strip())
                .isEqualTo("example.com/untouched v1.0.0");
        assertThat(go.modDownloadJson("example.com/untouched@latest")).singleElement()
                .extracting(ModDownload::sum).isEqualTo(UNTOUCHED.zipHash());
        HttpResponse<byte[]> slashed = http.get("/example.com/untouched/@v/list/");
        assertThat(slashed.statusCode()).isEqualTo(200);
        assertThat(slashed.body()).isEqualTo(http.get(UNTOUCHED.listPath()).body());
    }

    @Test
    void anInfoTheGoCommandWouldRejectIsRefusedWithTheReasonAndNotCached() throws Exception {
        GoTool go = GoTool.builder(Files.createDirectories(temp.resolve("badinfo"))).proxy(http.goproxy())
                .goCache(goCache).build();
        assertThat(go.run("mod", "download", "example.com/emptytime@v1.0.0").assertFailure().stderr())
                .contains("502 Bad Gateway").contains("not an RFC 3339 timestamp");
        assertThat(go.run("mod", "download", "example.com/otherversion@v1.0.0").assertFailure().stderr())
                .contains("502 Bad Gateway")
                .contains("proxy returned info for version v1.0.1 instead of requested version v1.0.0");
        assertThat(http.entries(EMPTY_TIME.infoPath(), "CONTENT")).isZero();
        assertThat(http.entries(OTHER_VERSION.infoPath(), "CONTENT")).isZero();
    }

    @Test
    void aModThatDeclaresAnotherModulePathIsRefusedWithTheReasonRememberedAndNotCached() throws Exception {
        String reason = "module declares its path as example.com/original, but was required as example.com/otherpath";
        GoTool go = GoTool.builder(Files.createDirectories(temp.resolve("otherpath"))).proxy(http.goproxy())
                .goCache(goCache).build();
        assertThat(go.run("mod", "download", "example.com/otherpath@v1.0.0").assertFailure().stderr())
                .contains("502 Bad Gateway").contains(reason);
        HttpResponse<byte[]> again = http.get(OTHER_PATH.modPath());
        assertThat(again.statusCode()).isEqualTo(502);
        assertThat(VregHttp.text(again)).contains(reason);
        assertThat(upstream.requestCount(OTHER_PATH.modPath())).isOne();
        assertThat(http.entries(OTHER_PATH.modPath(), "CONTENT")).isZero();
        assertThat(Files.exists(go.modCache().resolve("cache/download/example.com/otherpath/@v/v1.0.0.mod")))
                .isFalse();
    }
}
