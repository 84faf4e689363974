package dev.vreg.host.db.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class PgDistributionTest {

    private final TestDirs dirs = new TestDirs();

    @AfterEach
    void deleteDirs() throws IOException {
        dirs.close();
    }

    @Test
    void unpacksOnceKeepingExecutableBitsAndSymlinks() throws Exception {
        Path home = PgDistribution.install(TestDirs.SHARED_DIST);

        assertThat(home.resolve(PgDistribution.MARKER)).exists();
        for (String tool : PgDistribution.TOOLS) {
            assertThat(Files.getPosixFilePermissions(home.resolve("bin").resolve(tool)))
                    .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path libpq = home.resolve("lib/libpq.so");
        assertThat(Files.isSymbolicLink(libpq)).isTrue();
        assertThat(Files.readSymbolicLink(libpq).toString()).doesNotContain("/");
        assertThat(libpq.toRealPath().getParent()).isEqualTo(home.resolve("lib").toRealPath());

        long before = System.nanoTime();
        assertThat(PgDistribution.install(TestDirs.SHARED_DIST)).isEqualTo(home);
        assertThat(System.nanoTime() - before).as("second install reuses the tree").isLessThan(500_000_000L);
    }

    @Test
    void aTreeWithoutTheCompletionMarkerIsUnpackedAgain() throws Exception {
        Path root = dirs.newDir();
        Path home = PgDistribution.install(root);
        Files.delete(home.resolve(PgDistribution.MARKER));
        Files.delete(home.resolve("bin/postgres"));
        Files.writeString(home.resolve("bin/left-over"), "from an interrupted unpack");

        assertThat(PgDistribution.install(root)).isEqualTo(home);

        assertThat(home.resolve(PgDistribution.MARKER)).exists();
        assertThat(home.resolve("bin/postgres")).isExecutable();
        assertThat(home.resolve("bin/left-over")).doesNotExist();
        try (var entries = Files.list(root)) {
            assertThat(entries.filter(p -> !p.getFileName().toString().equals(PgDistribution.INSTALL_LOCK)))
                    .containsExactly(home);
        }
    }

    @Test
    void concurrentInstallsIntoOneDirectoryUnpackOnce() throws Exception {
        Path root = dirs.newDir();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Path>> installs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                installs.add(pool.submit(() -> PgDistribution.install(root)));
            }
            Path home = installs.get(0).get();
            for (Future<Path> install : installs) {
                assertThat(install.get()).isEqualTo(home);
            }
            assertThat(home.resolve(PgDistribution.MARKER)).exists();
            assertThat(home.resolve("bin/postgres")).isExecutable();
            try (var entries = Files.list(root)) {
                assertThat(entries.map(p -> p.getFileName().toString()))
                        .containsExactlyInAnyOrder(home.getFileName().toString(), PgDistribution.INSTALL_LOCK);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
