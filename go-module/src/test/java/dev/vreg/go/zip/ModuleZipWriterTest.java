package dev.vreg.go.zip;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.go.hash.DirHash;
import dev.vreg.go.module.ModuleException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleZipWriterTest {

    private static final String MOD = "example.org/m";
    private static final String VER = "v1.0.0";
    private static final String P = MOD + "@" + VER + "/";

    @TempDir
    Path dir;

    @Test
    void writesPrefixedFilesWithoutDirectoriesAndAnswersTheCheckedHash() throws Exception {
        List<ModuleFile> files = List.of(
                file("go.mod", "module example.org/m\n\ngo 1.21\n"),
                file("pkg/a.go", "package pkg\n"),
                file("docs/\u00e9t\u00e9.txt", "summer\n"),
                file("LICENSE", "use freely"));
        Path zip = dir.resolve("m.zip");
        String h1;
        try (OutputStream out = Files.newOutputStream(zip)) {
            h1 = ModuleZipWriter.DEFAULT.write(out, MOD, VER, files);
        }
        assertThat(names(zip)).containsExactly(P + "go.mod", P + "pkg/a.go", P + "docs/\u00e9t\u00e9.txt",
                P + "LICENSE");
        assertThat(new ZipCheck(ZipLimits.DEFAULT).check(MOD, VER, zip)).isEqualTo(h1);
        assertThat(DirHash.hashZip(zip)).isEqualTo(h1);
        assertThat(ModuleZipWriter.DEFAULT.hash(MOD, VER, files)).isEqualTo(h1);
    }

    @Test
    void storedAndDeflatedZipsOfTheSameFilesHashAlike() throws Exception {
        List<ModuleFile> files = List.of(file("go.mod", "module example.org/m\n"), file("a.txt", "aaaa"));
        Path stored = dir.resolve("stored.zip");
        Path deflated = dir.resolve("deflated.zip");
        String h1;
        try (OutputStream out = Files.newOutputStream(stored)) {
            h1 = ModuleZipWriter.DEFAULT.withMethod(ModuleZipWriter.Method.STORE).write(out, MOD, VER, files);
        }
        try (OutputStream out = Files.newOutputStream(deflated)) {
            assertThat(ModuleZipWriter.DEFAULT.write(out, MOD, VER, files)).isEqualTo(h1);
        }
        try (ZipFile z = new ZipFile(stored.toFile())) {
            assertThat(Collections.list(z.entries())).extracting(ZipEntry::getMethod).containsOnly(ZipEntry.STORED);
        }
        assertThat(new ZipCheck(ZipLimits.DEFAULT).check(MOD, VER, stored)).isEqualTo(h1);
        assertThat(new ZipCheck(ZipLimits.DEFAULT).check(MOD, VER, deflated)).isEqualTo(h1);
    }

    @Test
    void sameFilesGiveTheSameBytes() throws Exception {
        List<ModuleFile> files = List.of(file("go.mod", "module example.org/m\n"), file("a.txt", "a"));
        ByteArrayOutputStream one = new ByteArrayOutputStream();
        ByteArrayOutputStream two = new ByteArrayOutputStream();
        ModuleZipWriter.DEFAULT.write(one, MOD, VER, files);
        ModuleZipWriter.DEFAULT.write(two, MOD, VER, files);
        assertThat(one.toByteArray()).isEqualTo(two.toByteArray());
    }

    @Test
    void omitsNestedModulesVendoredPackagesAndHgArchivalFiles() {
        CheckedFiles checked = ModuleZipWriter.DEFAULT.checkFiles(List.of(
                file("go.mod", "module example.org/m\n\ngo 1.21\n"),
                file("a.go", "package m\n"),
                file("vendor/modules.txt", "# x\n"),
                file("vendor/a.go", "package vendor\n"),
                file("vendor/example.com/x/x.go", "package x\n"),
                file("pkg/vendor/vendor.go", "package vendor\n"),
                file("pkg/vendor/foo/foo.go", "package foo\n"),
                file("sub/go.mod", "module example.org/m/sub\n"),
                file("sub/s.go", "package sub\n"),
                file("sub/deeper/d.go", "package deeper\n"),
                file("other/GO.MOD", "module x\n"),
                file("other/o.go", "package other\n"),
                file(".hg_archival.txt", "repo: x\n")));
        assertThat(checked.problem()).isNull();
        assertThat(checked.valid()).containsExactly("go.mod", "a.go", "vendor/modules.txt", "vendor/a.go");
        assertThat(checked.omitted()).extracting(FileError::path).containsExactly(
                "vendor/example.com/x/x.go", "pkg/vendor/vendor.go", "pkg/vendor/foo/foo.go", "sub/go.mod",
                "sub/s.go", "sub/deeper/d.go", "other/GO.MOD", "other/o.go", ".hg_archival.txt");
        assertThat(checked.omitted().get(0).reason()).isEqualTo("file is in vendor directory");
        assertThat(checked.omitted().get(3).reason()).isEqualTo("file is in another module");
    }

    @Test
    void fromGo124VendorModulesTxtIsOmittedAndNestedVendorDirectoriesAreReadRight() {
        CheckedFiles checked = ModuleZipWriter.DEFAULT.checkFiles(List.of(
                file("go.mod", "module example.org/m\n\ngo 1.24 // the fixed rules\n"),
                file("vendor/modules.txt", "# x\n"),
                file("vendor/a.go", "package vendor\n"),
                file("pkg/vendor/vendor.go", "package vendor\n"),
                file("pkg/vendor/foo/foo.go", "package foo\n")));
        assertThat(checked.valid()).containsExactly("go.mod", "vendor/a.go", "pkg/vendor/vendor.go");
        assertThat(checked.omitted()).extracting(FileError::path)
                .containsExactly("vendor/modules.txt", "pkg/vendor/foo/foo.go");
    }

    @Test
    void goDirectiveVersions() {
        assertThat(GoDirective.atLeastGo124("go 1.24\n".getBytes(UTF_8))).isTrue();
        assertThat(GoDirective.atLeastGo124("module m\ngo 1.25.3\n".getBytes(UTF_8))).isTrue();
        assertThat(GoDirective.atLeastGo124("go 1.24rc1\n".getBytes(UTF_8))).isTrue();
        assertThat(GoDirective.atLeastGo124("go 2.0\n".getBytes(UTF_8))).isTrue();
        assertThat(GoDirective.atLeastGo124("go 1.24-beta\n".getBytes(UTF_8))).as("lax form").isTrue();
        assertThat(GoDirective.atLeastGo124("go 1.23.9\n".getBytes(UTF_8))).isFalse();
        assertThat(GoDirective.atLeastGo124("// go 1.24\n".getBytes(UTF_8))).isFalse();
        assertThat(GoDirective.atLeastGo124("go 1.24\ngo 1.24\n".getBytes(UTF_8))).as("repeated").isFalse();
        assertThat(GoDirective.atLeastGo124("go 1.24 1.25\n".getBytes(UTF_8))).isFalse();
        assertThat(GoDirective.atLeastGo124("go 01.24\n".getBytes(UTF_8))).isFalse();
        assertThat(GoDirective.atLeastGo124("module m\n".getBytes(UTF_8))).isFalse();
    }

    @Test
    void invalidFilesMakeTheZipImpossibleAndNothingIsWritten() {
        for (ModuleFile bad : List.of(file("a//b.go", "x"), file("./a.go", "x"), file("/abs.go", "x"),
                file("Go.mod", "module x\n"), file("a\\b.go", "x"), file("A.go", "x"))) {
            List<ModuleFile> files = new ArrayList<>(List.of(file("go.mod", "module example.org/m\n"),
                    file("a.go", "package m\n"), bad));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThatThrownBy(() -> ModuleZipWriter.DEFAULT.write(out, MOD, VER, files)).as(bad.path())
                    .isInstanceOf(BadZipException.class)
                    .hasMessageStartingWith(bad.path() + ": ");
            assertThat(out.size()).isZero();
        }
        CheckedFiles checked = ModuleZipWriter.DEFAULT.checkFiles(List.of(file("a.go", "x"), file("/abs.go", "x"),
                file("a//b", "x")));
        assertThat(checked.invalid()).containsExactly(new FileError("/abs.go", "file path is not relative"),
                new FileError("a//b", "file path is not clean"));
    }

    @Test
    void sizeLimits() {
        ZipLimits small = new ZipLimits(1000, 10, 4, 4, 100);
        ModuleZipWriter writer = new ModuleZipWriter(small, ModuleZipWriter.Method.DEFLATE, ModuleZipWriter.DOS_EPOCH);
        assertThat(writer.checkFiles(List.of(file("go.mod", "12345"))).problem())
                .isEqualTo("go.mod: go.mod file too large (max size is 4 bytes)");
        assertThat(writer.checkFiles(List.of(file("LICENSE", "12345"))).problem())
                .isEqualTo("LICENSE: LICENSE file too large (max size is 4 bytes)");
        assertThat(writer.checkFiles(List.of(file("a", "123456"), file("b", "123456"))).problem())
                .isEqualTo("module source tree too large (max size is 10 bytes)");
        assertThat(writer.checkFiles(List.of(file("a", "12345"), file("b", "12345"))).problem()).isNull();
    }

    @Test
    void aFileYieldingMoreThanItsSizeFailsTheWrite() {
        ModuleFile liar = new ModuleFile() {
            @Override
            public String path() {
                return "liar.txt";
            }

            @Override
            public Type type() {
                return Type.REGULAR;
            }

            @Override
            public long size() {
                return 3;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write("four".getBytes(UTF_8));
            }
        };
        assertThatThrownBy(() -> ModuleZipWriter.DEFAULT.write(OutputStream.nullOutputStream(), MOD, VER,
                List.of(liar))).isInstanceOf(BadZipException.class)
                .hasMessage("file \"liar.txt\" is larger than declared size");
    }

    @Test
    void versionsMustBeCanonicalAndBelongToThePath() {
        assertThatThrownBy(() -> ModuleZipWriter.DEFAULT.write(OutputStream.nullOutputStream(), MOD, "v1.0",
                List.of())).isInstanceOf(ModuleException.class).hasMessageContaining("is not canonical");
        assertThatThrownBy(() -> ModuleZipWriter.DEFAULT.write(OutputStream.nullOutputStream(), MOD, "v2.0.0",
                List.of())).isInstanceOf(ModuleException.class);
    }

    @Test
    void writesADirectoryAsCreateFromDirDoes() throws Exception {
        Path root = Files.createDirectories(dir.resolve("src"));
        write(root, "go.mod", "module example.org/m\n\ngo 1.21\n");
        write(root, "a.go", "package m\n");
        write(root, "pkg/b.go", "package pkg\n");
        write(root, ".git/HEAD", "ref: refs/heads/main\n");
        write(root, "nested/go.mod", "module example.org/m/nested\n");
        write(root, "nested/n.go", "package nested\n");
        write(root, "vendor/example.com/x/x.go", "package x\n");
        Files.createSymbolicLink(root.resolve("link.go"), root.resolve("a.go"));
        CheckedFiles checked = ModuleZipWriter.DEFAULT.checkDir(root);
        assertThat(checked.valid()).containsExactly("a.go", "go.mod", "pkg/b.go");
        assertThat(checked.omitted()).extracting(FileError::path)
                .containsExactlyInAnyOrder(".git", "link.go", "nested", "vendor/example.com/x",
                        "vendor/example.com/x/x.go");
        Path zip = dir.resolve("dir.zip");
        String h1;
        try (OutputStream out = Files.newOutputStream(zip)) {
            h1 = ModuleZipWriter.DEFAULT.writeDir(out, MOD, VER, root);
        }
        assertThat(names(zip)).containsExactly(P + "a.go", P + "go.mod", P + "pkg/b.go");
        assertThat(new ZipCheck(ZipLimits.DEFAULT).check(MOD, VER, zip)).isEqualTo(h1);
    }

    @Test
    void streamsContentLargerThanTheHeap() throws Exception {
        long size = 288L << 20;
        ModuleFile big = new ModuleFile() {
            @Override
            public String path() {
                return "big.bin";
            }

            @Override
            public Type type() {
                return Type.REGULAR;
            }

            @Override
            public long size() {
                return size;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                Random random = new Random(7);
                byte[] block = new byte[64 * 1024];
                for (long left = size; left > 0; left -= block.length) {
                    random.nextBytes(block);
                    out.write(block, 0, (int) Math.min(block.length, left));
                }
            }
        };
        Path zip = dir.resolve("big.zip");
        String h1;
        try (OutputStream out = Files.newOutputStream(zip)) {
            h1 = ModuleZipWriter.DEFAULT.withMethod(ModuleZipWriter.Method.STORE).write(out, MOD, VER, List.of(big));
        }
        assertThat(Files.size(zip)).isGreaterThan(size);
        assertThat(new ZipCheck(ZipLimits.DEFAULT).check(MOD, VER, zip)).isEqualTo(h1);
    }

    private static ModuleFile file(String path, String content) {
        return ModuleFile.of(path, content.getBytes(UTF_8));
    }

    private static void write(Path root, String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static List<String> names(Path zip) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile(), UTF_8)) {
            return Collections.list(z.entries()).stream().map(ZipEntry::getName).toList();
        }
    }
}
