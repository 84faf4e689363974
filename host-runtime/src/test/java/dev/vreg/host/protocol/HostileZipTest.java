package dev.vreg.host.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoProxyTree;
import dev.vreg.testkit.go.GoResult;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.StaticGoProxy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Module integrity on ingest: a zip an upstream serves is checked with the go command's rules before it is cached.
 * A hostile one is refused with a 502 naming the rule, the go command prints that reason, and nothing of it stays
 * in the cache or the blob store.
 */
class HostileZipTest {

    @TempDir
    static Path temp;

    /** Each case: a module whose zip the upstream replaces, and a phrase the refusal must contain. */
    record Hostile(String module, String reason, byte[] zip) {
        @Override
        public String toString() {
            return module;
        }
    }

    static final List<Hostile> CASES = List.of(
            new Hostile("example.com/traversal", "file path is not clean", zip(Map.of(
                    "example.com/traversal@v1.0.0/go.mod", "module example.com/traversal\n",
                    "example.com/traversal@v1.0.0/../../../etc/evil.go", "package evil\n"))),
            new Hostile("example.com/duplicate", "multiple entries for file \"a.go\"", duplicateNames()),
            new Hostile("example.com/casefold", "case-insensitive file name collision", zip(Map.of(
                    "example.com/casefold@v1.0.0/go.mod", "module example.com/casefold\n",
                    "example.com/casefold@v1.0.0/README", "upper\n",
                    "example.com/casefold@v1.0.0/readme", "lower\n"))),
            new Hostile("example.com/prefix", "path does not have prefix", zip(Map.of(
                    "example.com/prefix@v1.0.0/go.mod", "module example.com/prefix\n",
                    "example.com/other@v1.0.0/x.go", "package x\n"))),
            new Hostile("example.com/nested", "go.mod file not in module root directory", zip(Map.of(
                    "example.com/nested@v1.0.0/go.mod", "module example.com/nested\n",
                    "example.com/nested@v1.0.0/sub/go.mod", "module example.com/nested/sub\n"))),
            new Hostile("example.com/oversize", "go.mod file too large", zip(Map.of(
                    "example.com/oversize@v1.0.0/go.mod",
                    "module example.com/oversize\n" + "\n".repeat((16 << 20) + 1)))),
            new Hostile("example.com/largetraversal", "file path is not clean", largeTraversal()),
            new Hostile("example.com/unlisted", "is not in the central directory", unlisted()),
            new Hostile("example.com/notazip", "invalid zip", "this is not a zip file\n".getBytes(
                    StandardCharsets.UTF_8)));

    static StaticGoProxy upstream;
    static VregServer vreg;
    static VregHttp http;
    static Path goCache;

    @BeforeAll
    static void start() throws Exception {
        upstream = StaticGoProxy.start(temp.resolve("upstream"));
        for (Hostile c : CASES) {
            GoModule module = GoModule.builder(c.module(), "v1.0.0").build();
            upstream.publish(module);
            Files.write(GoProxyTree.moduleDir(upstream.root(), module).resolve("@v/v1.0.0.zip"), c.zip());
        }
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

    static Stream<Hostile> cases() {
        return CASES.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aHostileZipIsRefusedWithItsReasonAndLeavesNothingBehind(Hostile c) throws Exception {
        String zipPath = "/" + c.module() + "/@v/v1.0.0.zip";
        GoTool go = GoTool.builder(Files.createDirectories(temp.resolve(c.module().replace('/', '_'))))
                .proxy(http.goproxy()).goCache(goCache).build();
        // A large zip is already streaming to the go command when the check refuses it, so that first download
        // can only be broken off; the refusal is remembered and a retry gets the reason without a new download.
        GoResult first = go.run("mod", "download", c.module() + "@v1.0.0").assertFailure();
        if (c.zip().length < 64 << 10) {
            assertThat(first.stderr()).contains("502 Bad Gateway").contains(c.reason());
        }
        GoResult retry = go.run("mod", "download", c.module() + "@v1.0.0").assertFailure();
        assertThat(retry.stderr()).contains("502 Bad Gateway").contains("server response:").contains(c.reason());

        HttpResponse<byte[]> again = http.get(zipPath);
        assertThat(again.statusCode()).isEqualTo(502);
        assertThat(again.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(VregHttp.text(again)).contains(c.reason()).doesNotContain("\n\n");

        assertThat(upstream.requestCount(zipPath)).isOne();
        assertThat(http.entries(zipPath, "CONTENT")).isZero();
        try (Stream<Path> leftovers = Files.list(vreg.config().blobDir().resolve("tmp"))) {
            assertThat(leftovers).isEmpty();
        }
        long blobs = http.sql("SELECT count(*) FROM blobs b WHERE NOT EXISTS ("
                + "SELECT 1 FROM cache_entries c WHERE c.blob_digest = b.digest)").get(0).getLong(0);
        assertThat(blobs).isZero();
    }

    static byte[] zip(Map<String, String> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, String> e : new LinkedHashMap<>(entries).entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /** A traversal entry behind a megabyte of incompressible data, so the zip streams before it is refused. */
    static byte[] largeTraversal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            out.putNextEntry(new ZipEntry("example.com/largetraversal@v1.0.0/go.mod"));
            out.write("module example.com/largetraversal\n".getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new ZipEntry("example.com/largetraversal@v1.0.0/data.bin"));
            byte[] noise = new byte[1 << 20];
            new java.util.Random(42).nextBytes(noise);
            out.write(noise);
            out.putNextEntry(new ZipEntry("example.com/largetraversal@v1.0.0/../evil.go"));
            out.write("package evil\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * A file that a reader of the local headers sees and the go command, which reads the central directory, does
     * not: its local record comes first, and the offsets of the zip behind it are moved past it.
     */
    static byte[] unlisted() {
        byte[] name = "example.com/unlisted@v1.0.0/hidden.go".getBytes(StandardCharsets.UTF_8);
        byte[] content = "package evil\n".getBytes(StandardCharsets.UTF_8);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(content);
        java.nio.ByteBuffer hidden = java.nio.ByteBuffer.allocate(30 + name.length + content.length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        hidden.putInt(0x04034b50).putShort((short) 20).putShort((short) 0x800).putShort((short) 0).putInt(0)
                .putInt((int) crc.getValue()).putInt(content.length).putInt(content.length)
                .putShort((short) name.length).putShort((short) 0).put(name).put(content);
        byte[] listed = zip(Map.of("example.com/unlisted@v1.0.0/go.mod", "module example.com/unlisted\n"));
        java.nio.ByteBuffer zip = java.nio.ByteBuffer.allocate(hidden.capacity() + listed.length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).put(hidden.array()).put(listed);
        int shift = hidden.capacity();
        int end = zip.capacity() - 22;
        int directory = shift + zip.getInt(end + 16);
        zip.putInt(directory + 42, zip.getInt(directory + 42) + shift);
        zip.putInt(end + 16, directory);
        return zip.array();
    }

    /** Java's zip writer refuses duplicate names, so a second name of the same length is renamed in the bytes. */
    static byte[] duplicateNames() {
        byte[] zip = zip(new java.util.TreeMap<>(Map.of(
                "example.com/duplicate@v1.0.0/go.mod", "module example.com/duplicate\n",
                "example.com/duplicate@v1.0.0/a.go", "package a\n",
                "example.com/duplicate@v1.0.0/b.go", "package a // again\n")));
        byte[] from = "@v1.0.0/b.go".getBytes(StandardCharsets.UTF_8);
        byte[] to = "@v1.0.0/a.go".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + from.length <= zip.length; i++) {
            if (Arrays.equals(zip, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, zip, i, to.length);
            }
        }
        return zip;
    }
}
