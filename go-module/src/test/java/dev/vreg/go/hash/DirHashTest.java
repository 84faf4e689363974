package dev.vreg.go.hash;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.go.hash.DirHash.FileDigest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirHashTest {

    @Test
    void emptyGoModMatchesTheGoCommandsConstant() throws IOException {
        String want = "h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=";
        assertThat(DirHash.hashGoMod(new byte[0])).isEqualTo(want);
        assertThat(DirHash.hashGoMod(new ByteArrayInputStream(new byte[0]))).isEqualTo(want);
    }

    @Test
    void minimalGoMod() {
        assertThat(DirHash.hashGoMod("module example.com/m\n".getBytes(UTF_8)))
                .isEqualTo("h1:flS2VctbRrTv+sBE+VKgxx6hlkMGPVz9MGOmzMYFg3k=");
    }

    @Test
    void summaryFormat() {
        byte[] a = "alpha".getBytes(UTF_8);
        byte[] b = "beta".getBytes(UTF_8);
        String summary = hex(sha(a)) + "  m@v1.0.0/a.go\n" + hex(sha(b)) + "  m@v1.0.0/b.go\n";
        String want = "h1:" + Base64.getEncoder().encodeToString(sha(summary.getBytes(UTF_8)));
        List<FileDigest> files = List.of(
                new FileDigest("m@v1.0.0/b.go", sha(b)), new FileDigest("m@v1.0.0/a.go", sha(a)));
        assertThat(DirHash.hash1(files)).isEqualTo(want);
    }

    @Test
    void sortsNamesAsUtf8BytesNotUtf16() {
        // U+FF41 (fullwidth a) encodes as EF BD 81, U+10428 (Deseret small long i) as F0 90 90 A8: UTF-8 puts
        // U+FF41 first, while Java's UTF-16 order puts the surrogate pair D801 DC28 first.
        String bmp = "m@v1.0.0/\uFF41";
        String astral = "m@v1.0.0/\uD801\uDC28";
        assertThat(bmp.compareTo(astral)).isPositive();
        byte[] x = sha("x".getBytes(UTF_8));
        byte[] y = sha("y".getBytes(UTF_8));
        String summary = hex(x) + "  " + bmp + "\n" + hex(y) + "  " + astral + "\n";
        String want = "h1:" + Base64.getEncoder().encodeToString(sha(summary.getBytes(UTF_8)));
        assertThat(DirHash.hash1(List.of(new FileDigest(astral, y), new FileDigest(bmp, x)))).isEqualTo(want);
        // A high ASCII name sorts before any non-ASCII name in both orders.
        String tilde = "m@v1.0.0/~";
        String summary2 = hex(x) + "  " + tilde + "\n" + hex(y) + "  " + bmp + "\n";
        assertThat(DirHash.hash1(List.of(new FileDigest(bmp, y), new FileDigest(tilde, x))))
                .isEqualTo("h1:" + Base64.getEncoder().encodeToString(sha(summary2.getBytes(UTF_8))));
    }

    @Test
    void rejectsNewlinesInNames() {
        assertThatThrownBy(() -> new FileDigest("a\nb", new byte[32])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hashZipUsesFullEntryNamesIncludingDirectories(@TempDir Path dir) throws IOException {
        Path zip = dir.resolve("m.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("m@v1.0.0/"));
            out.putNextEntry(new ZipEntry("m@v1.0.0/go.mod"));
            out.write("module m\n".getBytes(UTF_8));
            out.putNextEntry(new ZipEntry("m@v1.0.0/LICENSE"));
            out.write("none".getBytes(UTF_8));
        }
        String want = DirHash.hash1(List.of(
                new FileDigest("m@v1.0.0/", sha(new byte[0])),
                new FileDigest("m@v1.0.0/go.mod", sha("module m\n".getBytes(UTF_8))),
                new FileDigest("m@v1.0.0/LICENSE", sha("none".getBytes(UTF_8)))));
        assertThat(DirHash.hashZip(zip)).isEqualTo(want);
    }

    static byte[] sha(byte[] b) {
        return DirHash.sha256().digest(b);
    }

    static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }
}
