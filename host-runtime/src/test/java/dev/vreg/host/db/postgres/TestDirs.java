package dev.vreg.host.db.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Data directories under {@code target/pg-tests}. Not JUnit's @TempDir: those are 0700, and a server running as
 * nobody (when the build runs as root) could not reach them.
 */
final class TestDirs implements AutoCloseable {

    static final Path ROOT = Path.of("target", "pg-tests").toAbsolutePath();

    /** Unpacked once for the whole suite; tests that are about unpacking use their own. */
    static final Path SHARED_DIST = ROOT.resolve("shared-dist");

    private final List<Path> created = new ArrayList<>();

    Path newDir() throws IOException {
        Path dir = ROOT.resolve(UUID.randomUUID().toString());
        Files.createDirectories(dir);
        created.add(dir);
        return dir;
    }

    @Override
    public void close() throws IOException {
        for (Path dir : created) {
            PgDistribution.deleteIfPresent(dir);
        }
    }
}
