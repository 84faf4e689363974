package dev.vreg.go.zip;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * What each entry of a zip is, as Go's {@code archive/zip} reports it through {@code FileHeader.Mode}: entries
 * written on Unix or macOS carry their file mode in the external attributes (so a {@code git archive} marks symbolic
 * links), entries from MS-DOS systems their directory bit; a name ending in {@code /} is a directory. The go command
 * zips only regular files, so a module zip made from another archive needs these types.
 */
public final class ZipEntryTypes {

    private static final int CREATOR_UNIX = 3;
    private static final int CREATOR_MACOSX = 19;
    private static final int CREATOR_FAT = 0;
    private static final int CREATOR_NTFS = 11;
    private static final int CREATOR_VFAT = 14;
    private static final int S_IFMT = 0xF000;
    private static final int S_IFREG = 0x8000;
    private static final int S_IFDIR = 0x4000;
    private static final int S_IFLNK = 0xA000;

    private ZipEntryTypes() {
    }

    /** The type of every entry of the zip at {@code zip}, by entry name. */
    public static Map<String, ModuleFile.Type> read(Path zip, ZipLimits limits) throws IOException, BadZipException {
        try (FileChannel ch = FileChannel.open(zip, StandardOpenOption.READ)) {
            Map<String, ModuleFile.Type> types = new HashMap<>();
            for (ZipRecord r : CentralDirectory.read(ch, ch.size(), limits.maxEntries()).entries()) {
                types.put(r.name(), type(r));
            }
            return types;
        }
    }

    static ModuleFile.Type type(ZipRecord r) {
        if (r.isDirectory()) {
            return ModuleFile.Type.DIRECTORY;
        }
        int creator = r.madeBy() >>> 8;
        if (creator == CREATOR_UNIX || creator == CREATOR_MACOSX) {
            int mode = (int) (r.externalAttrs() >>> 16) & S_IFMT;
            return switch (mode) {
                case S_IFREG, 0 -> ModuleFile.Type.REGULAR;
                case S_IFDIR -> ModuleFile.Type.DIRECTORY;
                case S_IFLNK -> ModuleFile.Type.SYMLINK;
                default -> ModuleFile.Type.OTHER;
            };
        }
        if ((creator == CREATOR_FAT || creator == CREATOR_NTFS || creator == CREATOR_VFAT)
                && (r.externalAttrs() & 0x10) != 0) {
            return ModuleFile.Type.DIRECTORY;
        }
        return ModuleFile.Type.REGULAR;
    }
}
