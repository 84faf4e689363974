package dev.vreg.go.zip;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.go.hash.DirHash;
import dev.vreg.go.hash.DirHash.FileDigest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipCheckTest {

    static final String MOD = "example.org/m";
    static final String VER = "v1.0.0";
    static final String P = MOD + "@" + VER + "/";
    static final ZipLimits SMALL = new ZipLimits(4096, 1024, 64, 64, 16);

    @TempDir
    Path dir;

    @Test
    void validZipHashesEveryEntryUnderItsFullName() throws Exception {
        TestZip zip = new TestZip();
        zip.add(P + "go.mod", "module example.org/m\n");
        zip.add(P + "LICENSE", "use freely").method = 0;
        zip.add(P + "pkg/a.go", "package pkg\n").descriptor = true;
        zip.add(P + "pkg/empty.go", "");
        String h1 = check(ZipLimits.DEFAULT, zip);
        assertThat(h1).isEqualTo(DirHash.hash1(List.of(
                digest(P + "go.mod", "module example.org/m\n"),
                digest(P + "LICENSE", "use freely"),
                digest(P + "pkg/a.go", "package pkg\n"),
                digest(P + "pkg/empty.go", ""))));
    }

    @Test
    void directoryEntriesAreAllowedAndHashed() throws Exception {
        TestZip zip = new TestZip();
        zip.add(P, "").method = 0;
        zip.add(P + "pkg/", "").method = 0;
        zip.add(P + "pkg/a.go", "package pkg\n");
        assertThat(check(ZipLimits.DEFAULT, zip)).isEqualTo(DirHash.hash1(List.of(
                digest(P, ""), digest(P + "pkg/", ""), digest(P + "pkg/a.go", "package pkg\n"))));
    }

    @Test
    void javaWrittenZipMatchesThePlainHash() throws Exception {
        Path file = dir.resolve("java.zip");
        try (ZipOutputStream out = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            put(out, P + "go.mod", "module example.org/m\n");
            put(out, P + "\u00e9t\u00e9/\u00fcber.go", "package \u00e9t\u00e9\n");
            put(out, P + "b.go", "package m\n");
        }
        assertThat(check(ZipLimits.DEFAULT, VER, file)).isEqualTo(DirHash.hashZip(file));
    }

    @Test
    void zip64DirectoryWithManyEntries() throws Exception {
        Path file = dir.resolve("many.zip");
        try (ZipOutputStream out = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.setLevel(0);
            for (int i = 0; i < 66_000; i++) {
                put(out, P + "d" + (i / 1000) + "/f" + i, "");
            }
        }
        assertThat(check(ZipLimits.DEFAULT, VER, file)).isEqualTo(DirHash.hashZip(file));
    }

    @Test
    void wrongPrefix() throws Exception {
        TestZip zip = new TestZip();
        zip.add(P + "go.mod", "module example.org/m\n");
        zip.add("example.org/m@v1.0.1/x.go", "package m\n");
        rejects(ZipLimits.DEFAULT, zip).hasMessageContaining("path does not have prefix \"" + P + "\"");
    }

    @Test
    void absoluteName() throws Exception {
        TestZip zip = new TestZip();
        zip.add("/" + P + "x.go", "package m\n");
        rejects(ZipLimits.DEFAULT, zip).hasMessageContaining("path does not have prefix");
    }

    @Test
    void pathTraversal() throws Exception {
        TestZip zip = new TestZip();
        zip.add(P + "../../etc/passwd", "root");
        rejects(ZipLimits.DEFAULT, zip).hasMessageContaining("file path is not clean");
        TestZip slashes = new TestZip();
        slashes.add(P + "/etc/passwd", "root");
        rejects(ZipLimits.DEFAULT, slashes).hasMessageContaining("file path is not clean");
    }

    @Test
    void invalidFilePath() throws Exception {
        TestZip zip = new TestZip();
        zip.add(P + "a:b.go", "package m\n");
        rejects(ZipLimits.DEFAULT, zip).hasMessageContaining("malformed file path \"a:b.go\": invalid char ':'");
    }

    @Test
    void duplicateNames() throws Exception {
        TestZip zip = new TestZip();
        zip.add(P + "a.go", "package m\n");
        zip.add(P + "a.go", "package evil\n");
        rejects(ZipLimits.DEFAULT, zip).hasMessageContaining("multiple entries for file \"a.go\"");
    }

    @Test
    void caseFoldCollisions() throws Exception {
        TestZip zip = new TestZip();
        zip.add(P + "README", "a");
        zip.add(P + "docs/x", "b");
        zip.add(P + "readme", "c");
        rejects(ZipLimits.DEFAULT, zip)
                .hasMessageContaining("case-insensitive file name collision: \"README\" and \"readme\"");
        TestZip kelvin = new TestZip();
        kelvin.add(P + "key", "a");
        kelvin.add(P + "\u212Aey", "b");
        rejects(ZipLimits.DEFAULT, kelvin).hasMessageContaining("case-insensitive file name collision");
        TestZip dirs = new TestZip();
        dirs.add(P + "Pkg/a.go", "a");
        dirs.add(P + "pkg/b.go", "b");
        rejects(ZipLimits.DEFAULT, dirs).hasMessageContaining("\"Pkg\" and \"pkg\"");
    }

    @Test
    void dottedAndDotlessIAreNotCaseFoldedTogether() throws Exception {
        TestZip zip = new TestZip();
        zip.add(P + "i", "a");
        zip.add(P + "\u0130", "b");
        zip.add(P + "\u0131", "c");
        check(ZipLimits.DEFAULT, zip);
    }

    @Test
    void fileThatIsAlsoADirectory() throws Exception {
        TestZip zip = new TestZip();
        zip.add(P + "a", "file");
        zip.add(P + "a/b", "nested");
        rejects(ZipLimits.DEFAULT, zip).hasMessageContaining("entry \"a\" is both a file and a directory");
        TestZip dirEntry = new TestZip();
        dirEntry.add(P + "a/", "").method = 0;
        dirEntry.add(P + "a", "file");
        rejects(ZipLimits.DEFAULT, dirEntry).hasMessageContaining("is both a file and a directory");
    }

    @Test
    void directoryEntryWithContent() throws Exception {
        TestZip zip = new TestZip();
        zip.add(P + "a/", "surprise").method = 0;
        rejects(ZipLimits.DEFAULT, zip).hasMessageContaining("directory entry has content");
    }

    @Test
    void goModOnlyAtTheRootAndLowerCase() throws Exception {
        TestZip nested = new TestZip();
        nested.add(P + "sub/go.mod", "module example.org/m/sub\n");
        rejects(ZipLimits.DEFAULT, nested).hasMessageContaining("go.mod file not in module root directory");
        TestZip upper = new TestZip();
        upper.add(P + "GO.MOD", "module example.org/m\n");
        rejects(ZipLimits.DEFAULT, upper).hasMessageContaining("go.mod files must have lowercase names");
    }

    @Test
    void sizeLimits() throws Exception {
        TestZip goMod = new TestZip();
        goMod.add(P + "go.mod", "x".repeat(65));
        rejects(SMALL, goMod).hasMessageContaining("go.mod file too large (max size is 64 bytes)");
        TestZip license = new TestZip();
        license.add(P + "LICENSE", "x".repeat(65));
        rejects(SMALL, license).hasMessageContaining("LICENSE file too large (max size is 64 bytes)");
        TestZip nestedLicense = new TestZip();
        nestedLicense.add(P + "sub/LICENSE", "x".repeat(65));
        check(SMALL, nestedLicense);
        TestZip total = new TestZip();
        total.add(P + "a", "x".repeat(600));
        total.add(P + "b", "x".repeat(600));
        rejects(SMALL, total).hasMessageContaining("total uncompressed size of module contents too large");
        TestZip file = new TestZip();
        byte[] noise = new byte[5000];
        new java.util.Random(1).nextBytes(noise);
        file.add(P + "noise", noise).method = 0;
        rejects(SMALL, file).hasMessageContaining("module zip file is too large");
        TestZip many = new TestZip();
        for (int i = 0; i < 17; i++) {
            many.add(P + "f" + i, "");
        }
        rejects(SMALL, many).hasMessageContaining("too many entries (limit is 16)");
    }

    @Test
    void contentLargerThanDeclared() throws Exception {
        TestZip zip = new TestZip();
        zip.add(P + "a.go", "x".repeat(100)).declaredSize = 3L;
        rejects(ZipLimits.DEFAULT, zip).hasMessageContaining("larger than declared size (3 bytes)");
    }

    @Test
    void zipBombStopsAtTheDeclaredSize() throws Exception {
        TestZip zip = new TestZip();
        // 64 MiB of zeros deflate to about 64 KiB; the entry claims 1 KiB.
        TestZip.Entry bomb = zip.add(P + "bomb", new byte[64 << 20]);
        bomb.declaredSize = 1024L;
        bomb.descriptor = true;
        long start = System.nanoTime();
        rejects(ZipLimits.DEFAULT, zip).hasMessageContaining("larger than declared size (1024 bytes)");
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }

    @Test
    void contentSmallerThanDeclared() throws Exception {
        TestZip zip = new TestZip();
        zip.add(P + "a.go", "short").declaredSize = 500L;
        rejects(ZipLimits.DEFAULT, zip).hasMessageContaining("smaller than declared size (500 bytes)");
    }

    @Test
    void storedSizesMustAgree() throws Exception {
        TestZip zip = new TestZip();
        TestZip.Entry e = zip.add(P + "a.go", "package m\n");
        e.method = 0;
        e.declaredSize = 4L;
        rejects(ZipLimits.DEFAULT, zip).hasMessageContaining("stored entry with compressed size 10");
    }

    @Test
    void unsupportedCompressionMethod() throws Exception {
        TestZip zip = new TestZip();
        zip.add(P + "a.go", "package m\n").method = 12;
        rejects(ZipLimits.DEFAULT, zip).hasMessageContaining("unsupported compression method 12");
    }

    @Test
    void crcFollowsTheGoCommandsRule() throws Exception {
        TestZip wrong = new TestZip();
        wrong.add(P + "a.go", "package m\n").declaredCrc = 12345L;
        rejects(ZipLimits.DEFAULT, wrong).hasMessageContaining("fails its CRC-32 check");
        TestZip unrecorded = new TestZip();
        unrecorded.add(P + "a.go", "package m\n").declaredCrc = 0L;
        check(ZipLimits.DEFAULT, unrecorded);
        TestZip zeroWithDescriptor = new TestZip();
        TestZip.Entry e = zeroWithDescriptor.add(P + "a.go", "package m\n");
        e.declaredCrc = 0L;
        e.descriptor = true;
        rejects(ZipLimits.DEFAULT, zeroWithDescriptor).hasMessageContaining("fails its CRC-32 check");
    }

    @Test
    void localHeaderMustAgreeWithTheDirectory() throws Exception {
        TestZip name = new TestZip();
        name.add(P + "a.go", "package m\n").localName = P + "b.go";
        rejects(ZipLimits.DEFAULT, name).hasMessageContaining("local header names a different file");
        TestZip method = new TestZip();
        method.add(P + "a.go", "package m\n").localMethod = 0;
        rejects(ZipLimits.DEFAULT, method).hasMessageContaining("different compression method");
        TestZip descriptor = new TestZip();
        TestZip.Entry e = descriptor.add(P + "a.go", "package m\n");
        e.descriptor = true;
        e.descriptorCrc = 99L;
        rejects(ZipLimits.DEFAULT, descriptor).hasMessageContaining("data descriptor CRC differs");
    }

    @Test
    void overlappingEntries() throws Exception {
        TestZip zip = new TestZip();
        TestZip.Entry inner = new TestZip.Entry(P + "inner", "hidden".getBytes(UTF_8));
        inner.method = 0;
        TestZip.Entry outer = zip.add(P + "outer", TestZip.localRecord(inner));
        outer.method = 0;
        TestZip.Entry alias = zip.add(P + "inner", "hidden");
        alias.method = 0;
        alias.storedInside = outer;
        rejects(ZipLimits.DEFAULT, zip).hasMessageContaining("overlap");
    }

    @Test
    void notAZip() throws Exception {
        Path file = dir.resolve("junk.zip");
        Files.write(file, "this is not a zip file at all, not even close".getBytes(UTF_8));
        assertInvalid(() -> check(ZipLimits.DEFAULT, VER, file)).hasMessageContaining("not a zip");
        Files.write(file, new byte[0]);
        assertInvalid(() -> check(ZipLimits.DEFAULT, VER, file)).hasMessageContaining("not a zip");
    }

    @Test
    void truncatedOrPaddedZip() throws Exception {
        TestZip zip = new TestZip();
        zip.add(P + "a.go", "package m\n");
        byte[] bytes = zip.build();
        Path cut = dir.resolve("cut.zip");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 5));
        assertInvalid(() -> check(ZipLimits.DEFAULT, VER, cut)).hasMessageContaining("not a zip");
        Path padded = dir.resolve("padded.zip");
        Files.write(padded, Arrays.copyOf(bytes, bytes.length + 7));
        assertInvalid(() -> check(ZipLimits.DEFAULT, VER, padded))
                .hasMessageContaining("not a zip");
    }

    @Test
    void requiresACanonicalVersionOfTheModule() {
        assertThatThrownBy(() -> check(ZipLimits.DEFAULT, "v1.0", dir.resolve("x.zip")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> check(ZipLimits.DEFAULT, "v2.0.0", dir.resolve("x.zip")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    String check(ZipLimits limits, TestZip zip) throws Exception {
        return check(limits, VER, zip.write(dir));
    }

    /** Checks {@code file} as the zip of {@code MOD@version}; the streaming check's test reads it as it streams. */
    String check(ZipLimits limits, String version, Path file) throws Exception {
        return new ZipCheck(limits).check(MOD, version, file);
    }

    AbstractThrowableAssert<?, ? extends Throwable> rejects(ZipLimits limits, TestZip zip)
            throws IOException {
        Path file = zip.write(dir);
        return assertInvalid(() -> check(limits, VER, file));
    }

    static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(
            org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return assertThatThrownBy(call)
                .isInstanceOf(BadZipException.class)
                .hasMessageStartingWith("invalid zip for " + MOD + "@" + VER + ": ");
    }

    static FileDigest digest(String name, String content) {
        return new FileDigest(name, DirHash.sha256().digest(content.getBytes(UTF_8)));
    }

    static void put(ZipOutputStream out, String name, String content) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        OutputStream o = out;
        o.write(content.getBytes(UTF_8));
        out.closeEntry();
    }
}
