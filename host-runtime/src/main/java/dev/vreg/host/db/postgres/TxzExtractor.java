package dev.vreg.host.db.postgres;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/** Unpacks a {@code .txz} stream entry by entry, keeping permission bits and symbolic links. */
final class TxzExtractor {

    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };

    private TxzExtractor() {
    }

    static void extract(InputStream source, Path destination) throws IOException {
        Path root = destination.toAbsolutePath().normalize();
        // Directory modes are applied last, so a read-only directory in the archive cannot stop its own contents.
        List<Map.Entry<Path, Integer>> directories = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new XZInputStream(new BufferedInputStream(source, 1 << 16)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = inside(root, root.resolve(entry.getName()), entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    directories.add(Map.entry(target, entry.getMode()));
                } else if (entry.isSymbolicLink()) {
                    Path link = Path.of(entry.getLinkName());
                    inside(root, target.getParent().resolve(link), entry.getName() + " -> " + link);
                    Files.createDirectories(target.getParent());
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, link);
                } else if (entry.isLink()) {
                    Path existing = inside(root, root.resolve(entry.getLinkName()), entry.getLinkName());
                    Files.createDirectories(target.getParent());
                    Files.deleteIfExists(target);
                    Files.createLink(target, existing);
                } else if (entry.isFile()) {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(target, permissions(entry.getMode()));
                }
            }
        }
        for (Map.Entry<Path, Integer> directory : directories) {
            Files.setPosixFilePermissions(directory.getKey(), permissions(directory.getValue()));
        }
    }

    /** Refuses entries and link targets that would land outside the destination. */
    private static Path inside(Path root, Path candidate, String name) throws IOException {
        Path normalized = candidate.normalize();
        if (!normalized.startsWith(root)) {
            throw new IOException("archive entry points outside the extraction directory: " + name);
        }
        return normalized;
    }

    /** The rwx bits only: set-uid, set-gid and sticky bits from an archive are never carried over. */
    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < BITS.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                permissions.add(BITS[bit]);
            }
        }
        return permissions;
    }
}
