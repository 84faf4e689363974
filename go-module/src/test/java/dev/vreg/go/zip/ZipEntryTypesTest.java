package dev.vreg.go.zip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entry types read from the central directory as Go's archive/zip reads them. */
class ZipEntryTypesTest {

    @TempDir
    Path dir;

    @Test
    void unixModesMarkLinksDirectoriesAndOtherFiles() throws Exception {
        // name, creator system, external attributes
        Path zip = zip(new Object[][] {
            {"p/file.go", 3, 0100644L << 16},
            {"p/link.go", 3, 0120777L << 16},
            {"p/fifo", 3, 0010644L << 16},
            {"p/sub/", 3, 040755L << 16},
            {"p/plain.txt", 3, 0L},
            {"p/mac-link", 19, 0120777L << 16},
            {"p/dos.txt", 0, 0x20L},
            {"p/dosdir", 0, 0x10L},
        });
        Map<String, ModuleFile.Type> types = ZipEntryTypes.read(zip, ZipLimits.DEFAULT);
        assertThat(types).containsEntry("p/file.go", ModuleFile.Type.REGULAR)
                .containsEntry("p/link.go", ModuleFile.Type.SYMLINK)
                .containsEntry("p/fifo", ModuleFile.Type.OTHER)
                .containsEntry("p/sub/", ModuleFile.Type.DIRECTORY)
                .containsEntry("p/plain.txt", ModuleFile.Type.REGULAR)
                .containsEntry("p/mac-link", ModuleFile.Type.SYMLINK)
                .containsEntry("p/dos.txt", ModuleFile.Type.REGULAR)
                .containsEntry("p/dosdir", ModuleFile.Type.DIRECTORY)
                .hasSize(8);
    }

    /** A zip whose central directory entries carry the given creator systems and external attributes. */
    private Path zip(Object[][] entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Object[] e : entries) {
                out.putNextEntry(new ZipEntry((String) e[0]));
                out.write(((String) e[0]).getBytes());
                out.closeEntry();
            }
        }
        ByteBuffer zip = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        int index = 0;
        for (int i = 0; i + 46 <= zip.limit(); i++) {
            if (zip.getInt(i) == 0x02014b50) {
                Object[] e = entries[index++];
                zip.putShort(i + 4, (short) (((int) e[1] << 8) | 20));
                zip.putInt(i + 38, (int) (long) (Long) e[2]);
                i += 45;
            }
        }
        assertThat(index).isEqualTo(entries.length);
        Path file = dir.resolve("types.zip");
        Files.write(file, zip.array());
        return file;
    }
}
