package dev.vreg.testkit.go;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.go.hash.DirHash;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoModuleTest {

    @TempDir
    Path dir;

    @Test
    void infoAndModAreWhatAProxyServes() {
        GoModule m = GoModule.builder("example.com/Upper/Case", "v1.2.0").build();
        assertThat(m.infoJson()).isEqualTo("{\"Version\":\"v1.2.0\",\"Time\":\"2024-01-01T00:00:00Z\"}");
        assertThat(new String(m.modBytes(), StandardCharsets.UTF_8))
                .isEqualTo("module example.com/Upper/Case\n\ngo 1.21\n");
        assertThat(m.infoPath()).isEqualTo("/example.com/!upper/!case/@v/v1.2.0.info");
        assertThat(m.listPath()).isEqualTo("/example.com/!upper/!case/@v/list");
        assertThat(m.latestPath()).isEqualTo("/example.com/!upper/!case/@latest");
        assertThat(m.packages()).containsExactly("example.com/Upper/Case");
        assertThat(m.files()).containsKeys("go.mod", "casepkg.go");
    }

    @Test
    void incompatibleVersionsHaveASyntheticMod() throws Exception {
        GoModule m = GoModule.builder("example.com/legacy", "v2.1.0+incompatible")
                .time(Instant.parse("2023-05-06T07:08:09.123Z")).build();
        assertThat(m.hasGoMod()).isFalse();
        assertThat(m.modBytes()).isEqualTo("module example.com/legacy\n".getBytes(StandardCharsets.UTF_8));
        assertThat(m.infoJson()).isEqualTo("{\"Version\":\"v2.1.0+incompatible\",\"Time\":\"2023-05-06T07:08:09Z\"}");
        Path zip = dir.resolve("legacy.zip");
        m.writeZip(zip);
        assertThat(ZipDirectory.read(zip)).extracting(ZipDirectory.Entry::name)
                .containsExactly("example.com/legacy@v2.1.0+incompatible/legacy.go");
    }

    @Test
    void pseudoVersionsDefaultToTheirOwnTime() {
        GoModule m = GoModule.builder("example.com/pseudo", "v0.0.0-20240102030405-abcdefabcdef").build();
        assertThat(m.time()).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
    }

    @Test
    void zipHasPrefixedUtf8EntriesAndNoDirectories() throws Exception {
        GoModule m = GoModule.builder("example.com/m/v2", "v2.0.0")
                .goPackage("internal/util")
                .file("docs/é.txt", "accent\n")
                .file("a/b/c.txt", new byte[] {1, 2, 3})
                .build();
        Path zip = dir.resolve("m.zip");
        m.writeZip(zip);
        List<ZipDirectory.Entry> entries = ZipDirectory.read(zip);
        assertThat(entries).extracting(ZipDirectory.Entry::name).containsExactly(
                "example.com/m/v2@v2.0.0/a/b/c.txt",
                "example.com/m/v2@v2.0.0/docs/é.txt",
                "example.com/m/v2@v2.0.0/go.mod",
                "example.com/m/v2@v2.0.0/internal/util/util.go",
                "example.com/m/v2@v2.0.0/m.go");
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.utf8Flag()).as(e.name()).isTrue();
            assertThat(e.method()).isEqualTo(ZipEntry.DEFLATED);
            assertThat(e.name()).doesNotEndWith("/");
        });
        assertThat(DirHash.hashZip(zip)).isEqualTo(m.zipHash());
    }

    @Test
    void zipsAreDeterministic() throws Exception {
        GoModule m = GoModule.builder("example.com/m", "v1.0.0").file("x.txt", "x").build();
        m.writeZip(dir.resolve("one.zip"));
        m.writeZip(dir.resolve("two.zip"));
        assertThat(Files.mismatch(dir.resolve("one.zip"), dir.resolve("two.zip"))).isEqualTo(-1);
    }

    @Test
    void storedZipsHoldPseudoRandomContentUncompressed() throws Exception {
        long size = 3L * 1024 * 1024 + 5;
        GoModule m = GoModule.builder("example.com/big", "v1.0.0").stored()
                .file("blob.bin", FileContent.pseudoRandom(42, size)).build();
        Path zip = dir.resolve("big.zip");
        m.writeZip(zip);
        ZipDirectory.Entry blob = ZipDirectory.read(zip).stream()
                .filter(e -> e.name().endsWith("blob.bin")).findFirst().orElseThrow();
        assertThat(blob.method()).isEqualTo(ZipEntry.STORED);
        assertThat(blob.size()).isEqualTo(size);
        assertThat(blob.compressedSize()).isEqualTo(size);
        assertThat(DirHash.hashZip(zip)).isEqualTo(m.zipHash());
    }

    @Test
    void pseudoRandomContentIsRepeatableAndIncompressible() throws Exception {
        FileContent content = FileContent.pseudoRandom(7, 1 << 20);
        ByteArrayOutputStream one = new ByteArrayOutputStream();
        ByteArrayOutputStream two = new ByteArrayOutputStream();
        content.writeTo(one);
        content.writeTo(two);
        assertThat(one.toByteArray()).hasSize(1 << 20).isEqualTo(two.toByteArray());
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(one.toByteArray());
        deflater.finish();
        byte[] out = new byte[(1 << 20) + 4096];
        int compressed = deflater.deflate(out);
        assertThat(compressed).isGreaterThan(1 << 20);
    }

    @Test
    void goModHashMatchesAKnownVector() {
        GoModule m = GoModule.builder("example.com/m", "v1.0.0").goMod("module example.com/m\n").build();
        assertThat(m.goModHash()).isEqualTo("h1:flS2VctbRrTv+sBE+VKgxx6hlkMGPVz9MGOmzMYFg3k=");
        assertThat(m.goSumLines()).contains(new GoSumLine("example.com/m", "v1.0.0/go.mod", m.goModHash()));
    }

    @Test
    void zipsLeaveOutNestedModulesAndVendoredPackages() throws Exception {
        GoModule m = GoModule.builder("example.com/m", "v1.0.0")
                .file("vendor/example.com/dep/dep.go", "package dep\n")
                .file("tools/go.mod", "module example.com/m/tools\n")
                .file("tools/tools.go", "package tools\n").build();
        assertThat(m.files()).containsKeys("vendor/example.com/dep/dep.go", "tools/go.mod");
        Path zip = dir.resolve("m.zip");
        m.writeZip(zip);
        assertThat(ZipDirectory.read(zip)).extracting(ZipDirectory.Entry::name)
                .containsExactly("example.com/m@v1.0.0/go.mod", "example.com/m@v1.0.0/m.go");
        assertThat(DirHash.hashZip(zip)).isEqualTo(m.zipHash());
    }

    @Test
    void builderRejectsWhatTheGoCommandWouldRefuse() {
        assertThatThrownBy(() -> GoModule.builder("example.com/m/v1", "v1.0.0"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoModule.builder("example.com/m", "v2.0.0"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoModule.builder("example.com/m", "v1.0"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoModule.builder("example.com/m", "v1.0.0").file("../x", "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoModule.builder("example.com/m", "v1.0.0").file("go.mod", "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoModule.builder("example.com/m", "v1.0.0").file("a\\b", "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoModule.builder("example.com/m", "v1.0.0")
                .file("README", "x").file("readme", "y").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoModule.builder("example.com/m", "v1.0.0")
                .file("a", "x").file("a/b", "y").build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
