package dev.vreg.go.zip;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.go.hash.DirHash;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Every case of {@link ZipCheckTest}, read by {@link ZipStreamCheck} in chunks of every size from one byte up (so
 * that every record and every deflate block is cut somewhere), plus the zips that only a reader of the local headers
 * can catch.
 */
class ZipStreamCheckTest extends ZipCheckTest {

    @Override
    String check(ZipLimits limits, String version, Path file) throws Exception {
        return stream(limits, version, file).orElseThrow(() -> new AssertionError("asked for the whole file"));
    }

    private static Optional<String> stream(ZipLimits limits, String version, Path file) throws Exception {
        ZipStreamCheck check = new ZipStreamCheck(MOD, version, limits);
        Random sizes = new Random(file.getFileName().hashCode());
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer buf = ByteBuffer.allocate(80_000);
            while (true) {
                buf.clear().limit(sizes.nextInt(3) == 0 ? 1 + sizes.nextInt(40) : 1 + sizes.nextInt(80_000));
                if (ch.read(buf) < 0) {
                    break;
                }
                buf.flip();
                check.update(buf);
                assertThat(buf.position()).isZero();
            }
        }
        return check.finish();
    }

    /** Which limit breaks first depends on what is read first: the streaming check learns the file size last. */
    @Override
    @Test
    void sizeLimits() throws Exception {
        TestZip goMod = new TestZip();
        goMod.add(P + "go.mod", "x".repeat(65));
        rejects(SMALL, goMod).hasMessageContaining("go.mod file too large (max size is 64 bytes)");
        TestZip total = new TestZip();
        total.add(P + "a", "x".repeat(600));
        total.add(P + "b", "x".repeat(600));
        rejects(SMALL, total).hasMessageContaining("total uncompressed size of module contents too large");
        TestZip file = new TestZip();
        byte[] noise = new byte[5000];
        new Random(1).nextBytes(noise);
        file.add(P + "noise", noise).method = 0;
        rejects(new ZipLimits(4096, 1 << 20, 64, 64, 16), file).hasMessageContaining("module zip file is too large");
        TestZip many = new TestZip();
        for (int i = 0; i < 17; i++) {
            many.add(P + "f" + i, "");
        }
        rejects(SMALL, many).hasMessageContaining("too many entries (limit is 16)");
    }

    /**
     * An entry with a data descriptor declares its size only after its data, so the whole bomb is inflated before
     * the lie shows (bounded by the module limits: {@link #bombOfUnknownSizeStopsAtTheModuleLimit}).
     */
    @Override
    @Test
    void zipBombStopsAtTheDeclaredSize() throws Exception {
        TestZip zip = new TestZip();
        TestZip.Entry bomb = zip.add(P + "bomb", new byte[64 << 20]);
        bomb.declaredSize = 1024L;
        bomb.descriptor = true;
        rejects(ZipLimits.DEFAULT, zip).hasMessageContaining("larger than declared size (1024 bytes)");
    }

    /** The local header is read first, so what it says wrong is what the refusal names. */
    @Override
    @Test
    void localHeaderMustAgreeWithTheDirectory() throws Exception {
        TestZip name = new TestZip();
        name.add(P + "a.go", "package m\n").localName = P + "b.go";
        rejects(ZipLimits.DEFAULT, name).hasMessageContaining("local header names a different file");
        TestZip method = new TestZip();
        method.add(P + "a.go", "package m\n").localMethod = 0;
        rejects(ZipLimits.DEFAULT, method).hasMessageContaining("stored entry with compressed size 12");
        TestZip storedMethod = new TestZip();
        TestZip.Entry stored = storedMethod.add(P + "a.go", "package m\n");
        stored.method = 0;
        stored.localMethod = 8;
        rejects(ZipLimits.DEFAULT, storedMethod).hasMessageContaining("cannot be decompressed");
        TestZip descriptor = new TestZip();
        TestZip.Entry e = descriptor.add(P + "a.go", "package m\n");
        e.descriptor = true;
        e.descriptorCrc = 99L;
        rejects(ZipLimits.DEFAULT, descriptor).hasMessageContaining("data descriptor CRC differs");
    }

    @Test
    void entryLeftOutOfTheDirectory() throws Exception {
        TestZip zip = new TestZip();
        zip.add(P + "go.mod", "module example.org/m\n");
        zip.add(P + "hidden.go", "package evil\n").unlisted = true;
        rejects(ZipLimits.DEFAULT, zip).hasMessageContaining("entry \"" + P + "hidden.go\" is not in the central"
                + " directory");
    }

    @Test
    void bytesThatNoEntryOwns() throws Exception {
        TestZip zip = new TestZip();
        zip.add(P + "go.mod", "module example.org/m\n");
        zip.add(P + "a.go", "package m\n").before = "padding".getBytes(UTF_8);
        rejects(ZipLimits.DEFAULT, zip).hasMessageContaining("belong to no entry");
        TestZip prefixed = new TestZip();
        prefixed.add(P + "a.go", "package m\n").before = "#!/bin/sh\n".getBytes(UTF_8);
        rejects(ZipLimits.DEFAULT, prefixed).hasMessageContaining("not a zip file");
    }

    @Test
    void directoryDisagreesAboutTheSize() throws Exception {
        TestZip larger = new TestZip();
        larger.add(P + "a.go", "package m\n").directorySize = 4L;
        rejects(ZipLimits.DEFAULT, larger).hasMessageContaining("larger than declared size (4 bytes)");
        TestZip smaller = new TestZip();
        TestZip.Entry e = smaller.add(P + "a.go", "package m\n");
        e.descriptor = true;
        e.directorySize = 400L;
        rejects(ZipLimits.DEFAULT, smaller).hasMessageContaining("smaller than declared size (400 bytes)");
    }

    @Test
    void descriptorDisagreesAboutTheSize() throws Exception {
        TestZip zip = new TestZip();
        TestZip.Entry e = zip.add(P + "a.go", "package m\n");
        e.descriptor = true;
        e.descriptorSize = 3L;
        rejects(ZipLimits.DEFAULT, zip).hasMessageContaining("larger than declared size (3 bytes)");
    }

    @Test
    void bombOfUnknownSizeStopsAtTheModuleLimit() throws Exception {
        TestZip zip = new TestZip();
        TestZip.Entry bomb = zip.add(P + "bomb", new byte[64 << 20]);
        bomb.descriptor = true;
        ZipLimits limits = new ZipLimits(1 << 20, 1024, 64, 64, 16);
        rejects(limits, zip).hasMessageContaining("total uncompressed size of module contents too large");
        TestZip goMod = new TestZip();
        TestZip.Entry mod = goMod.add(P + "go.mod", new byte[64 << 20]);
        mod.descriptor = true;
        rejects(limits, goMod).hasMessageContaining("go.mod file too large (max size is 64 bytes)");
    }

    @Test
    void storedEntryWithADescriptorIsLeftToTheWholeFileCheck() throws Exception {
        // What Go's archive/zip writes for a file created with the Store method.
        TestZip zip = new TestZip();
        zip.add(P + "go.mod", "module example.org/m\n");
        TestZip.Entry stored = zip.add(P + "a.go", "package m\n");
        stored.method = 0;
        stored.descriptor = true;
        Path file = zip.write(dir);
        assertThat(stream(ZipLimits.DEFAULT, VER, file)).isEmpty();
        assertThat(new ZipCheck(ZipLimits.DEFAULT).check(MOD, VER, file)).isEqualTo(DirHash.hashZip(file));
    }

    @Test
    void largeEntriesAcrossManyChunks() throws Exception {
        Path file = dir.resolve("large.zip");
        byte[] noise = new byte[3 << 20];
        new Random(7).nextBytes(noise);
        try (ZipOutputStream out = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            put(out, P + "go.mod", "module example.org/m\n");
            out.putNextEntry(new ZipEntry(P + "noise.bin"));
            out.write(noise);
            out.closeEntry();
            out.putNextEntry(new ZipEntry(P + "text.txt"));
            out.write("all work and no play\n".repeat(200_000).getBytes(UTF_8));
            out.closeEntry();
            ZipEntry stored = new ZipEntry(P + "stored.bin");
            stored.setMethod(ZipEntry.STORED);
            stored.setSize(noise.length);
            CRC32 crc = new CRC32();
            crc.update(noise);
            stored.setCrc(crc.getValue());
            out.putNextEntry(stored);
            out.write(noise);
            out.closeEntry();
        }
        assertThat(check(ZipLimits.DEFAULT, VER, file)).isEqualTo(DirHash.hashZip(file));
    }

    @Test
    void zip64RecordsEvenWhenNotNeeded() throws Exception {
        // A writer may add the ZIP64 end records to any zip; they must agree with the directory.
        TestZip zip = new TestZip();
        zip.add(P + "a.go", "package m\n");
        byte[] plain = zip.build();
        int end = plain.length - 22;
        ByteBuffer tail = ByteBuffer.wrap(plain, end, 22).slice().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long count = tail.getShort(10);
        long size = Integer.toUnsignedLong(tail.getInt(12));
        long offset = Integer.toUnsignedLong(tail.getInt(16));
        ByteBuffer zip64 = ByteBuffer.allocate(56 + 20).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        zip64.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                .putLong(count).putLong(count).putLong(size).putLong(offset);
        zip64.putInt(0x07064b50).putInt(0).putLong(end).putInt(1);
        Path file = dir.resolve("zip64.zip");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(plain, 0, end);
            out.write(zip64.array());
            out.write(plain, end, 22);
        }
        assertThat(check(ZipLimits.DEFAULT, VER, file)).isEqualTo(DirHash.hashZip(file));
        zip64.putLong(32, count + 1).putLong(24, count + 1);
        Path lying = dir.resolve("zip64-lying.zip");
        try (OutputStream out = Files.newOutputStream(lying)) {
            out.write(plain, 0, end);
            out.write(zip64.array());
            out.write(plain, end, 22);
        }
        assertInvalid(() -> check(ZipLimits.DEFAULT, VER, lying))
                .hasMessageContaining("does not describe the directory");
    }
}
