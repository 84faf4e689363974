package dev.vreg.go;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.go.zip.ZipLimits;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.ContentCheck;
import dev.vreg.spi.ContentChecker;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.MetadataPart;
import dev.vreg.spi.VregException;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.Extension;

class GoFormatPluginTest {

    private final GoFormatPlugin plugin = new GoFormatPlugin();

    @TempDir
    Path dir;

    @Test
    void isAnExtensionWithIdGo() {
        assertThat(GoFormatPlugin.class.isAnnotationPresent(Extension.class)).isTrue();
        assertThat(plugin.id()).isEqualTo("go");
    }

    @Test
    void versionsAreOrderedAsTheGoCommandOrdersThem() {
        List<String> versions = new ArrayList<>(List.of("v1.10.0", "v1.9.0", "v1.10.0-rc.1",
                "v1.9.1-0.20240101000000-abcdefabcdef", "v2.0.0+incompatible", "v1.2.3"));
        versions.sort(plugin::compareVersions);
        assertThat(versions).containsExactly("v1.2.3", "v1.9.0", "v1.9.1-0.20240101000000-abcdefabcdef",
                "v1.10.0-rc.1", "v1.10.0", "v2.0.0+incompatible");
    }

    @Test
    void contentTypes() {
        assertThat(plugin.contentType(ref("example.org/m/@v/list"))).isEqualTo("text/plain; charset=utf-8");
        assertThat(plugin.contentType(ref("example.org/m/@v/v1.0.0.mod"))).isEqualTo("text/plain; charset=utf-8");
        assertThat(plugin.contentType(ref("example.org/m/@v/v1.0.0.info"))).isEqualTo("application/json");
        assertThat(plugin.contentType(ref("example.org/m/@v/main.info"))).isEqualTo("application/json");
        assertThat(plugin.contentType(ref("example.org/m/@latest"))).isEqualTo("application/json");
        assertThat(plugin.contentType(ref("example.org/m/@v/v1.0.0.zip"))).isEqualTo("application/zip");
    }

    @Test
    void moduleHintsAreGoprivatePatternsOverTheModulePath() {
        ArtifactRef upper = ref("git.corp.example/!team/lib/v2/@v/v2.0.0.zip");
        assertThat(plugin.matchesHints(List.of(), upper)).isTrue();
        assertThat(plugin.matchesHints(List.of("*.corp.example"), upper)).isTrue();
        assertThat(plugin.matchesHints(List.of("git.corp.example/Team"), upper)).isTrue();
        assertThat(plugin.matchesHints(List.of("git.corp.example/team"), upper)).as("case-sensitive").isFalse();
        assertThat(plugin.matchesHints(List.of("git.corp.example/Tea"), upper)).as("whole elements").isFalse();
        assertThat(plugin.matchesHints(List.of("other.example", "git.corp.example/[^a-z]*/lib"), upper)).isTrue();
        assertThat(plugin.matchesHints(List.of("other.example,*/Team/lib/v2/"), upper)).isTrue();
        assertThat(plugin.matchesHints(List.of("git.corp.example/Team/lib/v2/v3"), upper)).isFalse();
    }

    @Test
    void hintProblemsNameTheMalformedPattern() {
        assertThat(plugin.hintProblem("example.com/private")).isEmpty();
        assertThat(plugin.hintProblem("*.corp.example,example.com/[a-z]*/")).isEmpty();
        assertThat(plugin.hintProblem("example.com/[")).contains(
                "module path pattern \"example.com/[\" is malformed: syntax error in pattern");
        assertThat(plugin.hintProblem("ok.example,bad.example/[^")).get(InstanceOfAssertFactories.STRING)
                .contains("\"bad.example/[^\"");
        assertThat(plugin.hintProblem("")).get(InstanceOfAssertFactories.STRING).contains("is empty");
        assertThat(plugin.hintProblem(",/")).get(InstanceOfAssertFactories.STRING).contains("is empty");
    }

    @Test
    void maxContentLengths() {
        assertThat(plugin.maxContentLength(ref("example.org/m/@v/v1.0.0.zip"))).isEqualTo(500L << 20);
        assertThat(plugin.maxContentLength(ref("example.org/m/@v/v1.0.0.mod"))).isEqualTo(16L << 20);
        assertThat(plugin.maxContentLength(ref("example.org/m/@v/v1.0.0.info"))).isEqualTo(1L << 20);
    }

    @Test
    void mergesLists() {
        Buffer merged = plugin.merge(ref("example.org/m/v2/@v/list"),
                parts("v2.1.0\nv1.0.0\nv2.0.0-20230101000000-abcdefabcdef\n", "v2.0.0 2023-01-01T00:00:00Z\n"));
        assertThat(merged.toString(UTF_8)).isEqualTo("v2.0.0\nv2.1.0\n");
        assertThat(plugin.merge(ref("example.org/m/@v/list"), parts("")).length()).isZero();
    }

    @Test
    void latestPassesTheChosenBodyThroughUnchanged() {
        String release = "{ \"Version\": \"v1.4.0\",\n \"Time\": \"2024-05-06T07:08:09Z\",\n"
                + " \"Origin\": {\"VCS\": \"git\", \"URL\": \"https://example.org/m\", \"Hash\": \"0123\"},\n"
                + " \"Future\": [1, {\"x\": null}] }\n";
        List<MetadataPart> parts = parts("{\"Version\":\"v1.5.0-rc.1\"}", release,
                "{\"Version\":\"v0.0.0-20250101000000-abcdefabcdef\"}");
        assertThat(plugin.merge(ref("example.org/m/@latest"), parts).getBytes()).isEqualTo(release.getBytes(UTF_8));
    }

    @Test
    void latestWithNothingUsableIsNotFound() {
        assertKind(() -> plugin.merge(ref("example.org/m/@latest"), parts("<html>", "{\"Version\":\"v2.0.0\"}")),
                ErrorKind.NOT_FOUND);
    }

    @Test
    void queriesTakeTheFirstUsableAnswerInPriorityOrder() {
        String first = "{\"Version\":\"v0.0.0-20240101000000-aaaaaaaaaaaa\",\"Time\":\"2024-01-01T00:00:00Z\"}";
        String second = "{\"Version\":\"v0.0.0-20250101000000-bbbbbbbbbbbb\",\"Time\":\"2025-01-01T00:00:00Z\"}";
        assertThat(plugin.merge(ref("example.org/m/@v/main.info"), parts("garbage", first, second)).toString(UTF_8))
                .isEqualTo(first);
        assertKind(() -> plugin.merge(ref("example.org/m/@v/main.info"), parts("garbage")), ErrorKind.NOT_FOUND);
    }

    @Test
    void mergeRefusesContent() {
        assertThatThrownBy(() -> plugin.merge(ref("example.org/m/@v/v1.0.0.info"), parts("{}")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void checksInfo() throws IOException {
        ArtifactRef info = ref("example.org/m/@v/v1.0.0.info");
        String good = "{\"Version\":\"v1.0.0\",\"Time\":\"2024-01-01T00:00:00Z\",\"Origin\":{\"VCS\":\"git\"}}";
        assertThat(plugin.check(info, file(good))).isEqualTo(ContentCheck.NONE);
        assertThat(plugin.check(info, file("{\"Version\":\"v1.0.0\"}"))).isEqualTo(ContentCheck.NONE);
        assertKind(() -> plugin.check(info, file("{\"Version\":\"v1.0.1\"}")), ErrorKind.UPSTREAM_INVALID,
                "proxy returned info for version v1.0.1 instead of requested version v1.0.0");
        assertKind(() -> plugin.check(info, file("{\"Time\":\"2024-01-01T00:00:00Z\"}")), ErrorKind.UPSTREAM_INVALID,
                "proxy returned info without a version instead of requested version v1.0.0");
        assertKind(() -> plugin.check(info, file("{\"Version\":\"v1.0.0\",\"Time\":\"\"}")),
                ErrorKind.UPSTREAM_INVALID);
        assertKind(() -> plugin.check(info, file("not json")), ErrorKind.UPSTREAM_INVALID);
    }

    @Test
    void infoSizeIsCapped() throws IOException {
        GoFormatPlugin small = new GoFormatPlugin(ZipLimits.DEFAULT, 32);
        ArtifactRef info = ref("example.org/m/@v/v1.0.0.info");
        assertThat(small.check(info, file("{\"Version\":\"v1.0.0\"}"))).isEqualTo(ContentCheck.NONE);
        assertKind(() -> small.check(info, file("{\"Version\":\"v1.0.0\",\"Padding\":\"xxxxxxxx\"}")),
                ErrorKind.UPSTREAM_INVALID, "info file too large (max size is 32 bytes)");
    }

    @Test
    void checksModAndRecordsItsHash() throws IOException {
        ArtifactRef mod = ref("example.com/m/@v/v1.0.0.mod");
        assertThat(plugin.check(mod, file("module example.com/m\n")))
                .isEqualTo(new ContentCheck(Map.of("h1", "h1:flS2VctbRrTv+sBE+VKgxx6hlkMGPVz9MGOmzMYFg3k=")));
        GoFormatPlugin small = new GoFormatPlugin(new ZipLimits(1 << 20, 1 << 20, 8, 8, 100), 1024);
        assertKind(() -> small.check(mod, file("module example.com/m\n")), ErrorKind.UPSTREAM_INVALID,
                "go.mod file too large (max size is 8 bytes)");
    }

    @Test
    void aModMustDeclareTheModuleItWasRequestedFor() throws IOException {
        ArtifactRef mod = ref("example.com/m/@v/v1.0.0.mod");
        assertThat(plugin.check(mod, file("// fork\nmodule \"example.com/m\" // c\n")).attributes())
                .containsKey("h1");
        assertKind(() -> plugin.check(mod, file("module example.com/other\n")), ErrorKind.UPSTREAM_INVALID,
                "invalid go.mod for example.com/m@v1.0.0: module declares its path as example.com/other, "
                        + "but was required as example.com/m");
        assertKind(() -> plugin.check(ref("example.com/m/v2/@v/v2.0.0.mod"), file("module example.com/m\n")),
                ErrorKind.UPSTREAM_INVALID);
        assertKind(() -> plugin.check(mod, file("go 1.22\n")), ErrorKind.UPSTREAM_INVALID,
                "invalid go.mod for example.com/m@v1.0.0: missing module line");
        assertKind(() -> plugin.check(mod, file("module example.com/m\nrequire \"x\n")),
                ErrorKind.UPSTREAM_INVALID, "invalid go.mod for example.com/m@v1.0.0: go.mod:2:11: "
                        + "unexpected newline in string");
    }

    @Test
    void checksZipAndRecordsItsHash() throws IOException {
        Path zip = dir.resolve("m.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("example.com/m@v1.0.0/go.mod"));
            out.write("module example.com/m\n".getBytes(UTF_8));
        }
        ContentCheck result = plugin.check(ref("example.com/m/@v/v1.0.0.zip"), zip);
        assertThat(result.attributes()).containsOnlyKeys("h1");
        assertThat(result.attributes().get("h1")).startsWith("h1:");
        assertKind(() -> plugin.check(ref("example.com/other/@v/v1.0.0.zip"), zip), ErrorKind.UPSTREAM_INVALID);
    }

    @Test
    void checksZipWhileItStreams() throws IOException {
        Path zip = dir.resolve("m.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("example.com/m@v1.0.0/go.mod"));
            out.write("module example.com/m\n".getBytes(UTF_8));
        }
        ArtifactRef ref = ref("example.com/m/@v/v1.0.0.zip");
        ContentChecker checker = plugin.contentChecker(ref).orElseThrow();
        checker.update(java.nio.ByteBuffer.wrap(Files.readAllBytes(zip)));
        assertThat(checker.finish(zip)).isEqualTo(plugin.check(ref, zip));

        ContentChecker other = plugin.contentChecker(ref("example.com/other/@v/v1.0.0.zip")).orElseThrow();
        assertKind(() -> other.update(java.nio.ByteBuffer.wrap(Files.readAllBytes(zip))),
                ErrorKind.UPSTREAM_INVALID);
        ContentChecker cut = plugin.contentChecker(ref).orElseThrow();
        cut.update(java.nio.ByteBuffer.wrap(Files.readAllBytes(zip), 0, 40));
        assertKind(() -> cut.finish(zip), ErrorKind.UPSTREAM_INVALID, "invalid zip for example.com/m@v1.0.0: not a"
                + " zip file: it ends before its end of central directory record");
        assertThat(plugin.contentChecker(ref("example.com/m/@v/v1.0.0.mod"))).isEmpty();
    }

    @Test
    void checkRefusesMetadata() {
        assertThatThrownBy(() -> plugin.check(ref("example.org/m/@v/list"), dir))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private ArtifactRef ref(String raw) {
        return plugin.classify(raw);
    }

    private Path file(String content) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "body", ""), content);
    }

    private static List<MetadataPart> parts(String... bodies) {
        List<MetadataPart> parts = new ArrayList<>();
        for (int i = 0; i < bodies.length; i++) {
            parts.add(new MetadataPart("upstream-" + (i + 1), i + 1, Buffer.buffer(bodies[i])));
        }
        return parts;
    }

    private static void assertKind(ThrowingCallable call, ErrorKind kind) {
        assertThatThrownBy(call)
                .isInstanceOf(VregException.class)
                .matches(e -> ((VregException) e).kind() == kind, "kind " + kind);
    }

    private static void assertKind(ThrowingCallable call, ErrorKind kind, String message) {
        assertKind(call, kind);
        assertThatThrownBy(call).hasMessage(message);
    }
}
