package dev.vreg.testkit.go;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a module zip the way the go command expects it: one entry per file named {@code <path>@<version>/<file>},
 * no directory entries (they would change the {@code h1:} hash), UTF-8 names, Store or Deflate only.
 */
final class GoModuleZip {

    private static final int BUFFER = 64 * 1024;

    private GoModuleZip() {
    }

    /**
     * Streams the zip to a temporary file beside {@code target} and then renames it, so that a server reading the
     * target never sees a half-written zip. Memory use does not depend on the module's size.
     */
    static void write(GoModule module, Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, target.getFileName().toString(), ".tmp");
        try {
            try (ZipOutputStream zip = new ZipOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(temp), BUFFER), StandardCharsets.UTF_8)) {
                // Entry times are written as local date-times so the bytes do not depend on the JVM's time zone.
                LocalDateTime modified = LocalDateTime.ofInstant(module.time(), ZoneOffset.UTC);
                for (Map.Entry<String, FileContent> file : module.files().entrySet()) {
                    writeEntry(zip, module.zipEntryName(file.getKey()), file.getValue(), module.stored(), modified);
                }
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void writeEntry(ZipOutputStream zip, String name, FileContent content, boolean stored,
                                   LocalDateTime modified) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTimeLocal(modified);
        if (stored) {
            // A stored entry's header carries its CRC and size, so the content is generated once more to get them.
            CRC32 crc = new CRC32();
            content.writeTo(new CheckedOutputStream(OutputStream.nullOutputStream(), crc));
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(content.size());
            entry.setCompressedSize(content.size());
            entry.setCrc(crc.getValue());
        } else {
            entry.setMethod(ZipEntry.DEFLATED);
        }
        zip.putNextEntry(entry);
        content.writeTo(new FilterOutputStream(zip) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() {
                // The zip stream stays open for the next entry.
            }
        });
        zip.closeEntry();
    }
}
