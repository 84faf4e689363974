package dev.vreg.host.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What happens when vreg runs as root: only meaningful there, skipped otherwise. */
@Timeout(180)
class RootAccountTest {

    private final TestDirs dirs = new TestDirs();

    @BeforeEach
    void requireRoot() throws IOException {
        boolean root = Platform.effectiveUid() == 0;
        // CI runs as root, so there the root behaviour must be proven, never skipped.
        assertThat(root || System.getenv("CI") == null).as("CI must run the root account tests as root").isTrue();
        assumeTrue(root, "runs only as root");
    }

    @AfterEach
    void deleteDirs() throws IOException {
        dirs.close();
    }

    @Test
    void serverRunsAsNobodyAndOwnsOnlyWhatItWrites() throws Exception {
        Path dataDir = dirs.newDir();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir, TestDirs.SHARED_DIST)) {
            long pid = PostmasterPid.read(postgres.pgData()).orElseThrow();
            assertThat(uids(pid)).containsOnly("65534");
            assertThat(uid(postgres.pgData())).isEqualTo(ServerAccount.NOBODY);
            assertThat(uid(dataDir.resolve("postgres.log"))).isEqualTo(ServerAccount.NOBODY);
            assertThat(uid(dataDir.resolve("postgres.password"))).isZero();
            assertThat(uid(TestDirs.SHARED_DIST)).isZero();
        }
    }

    @Test
    void aDataDirectoryNobodyCannotReachIsReportedAndLeftAlone() throws Exception {
        Path locked = dirs.newDir().resolve("private");
        Files.createDirectories(locked);
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        Path dataDir = locked.resolve("vreg-data");

        assertThatThrownBy(() -> EmbeddedPostgres.start(dataDir, TestDirs.SHARED_DIST))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("nobody")
                .hasMessageContaining(locked + " does not let other users traverse it")
                .hasMessageContaining("chmod o+x " + locked)
                .hasMessageContaining("run vreg as a non-root user");
        assertThat(Files.getPosixFilePermissions(locked)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(dataDir.resolve("postgres")).doesNotExist();
    }

    @Test
    void theDataDirectoryItselfIsMadeTraversable() throws Exception {
        Path dataDir = dirs.newDir();
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir, TestDirs.SHARED_DIST)) {
            assertThat(SqlClient.column(postgres, "SELECT 1")).containsExactly("1");
        }
        assertThat(Files.getPosixFilePermissions(dataDir)).isEqualTo(PosixFilePermissions.fromString("rwx-----x"));
    }

    private static int uid(Path path) throws IOException {
        return (int) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    /** Real, effective, saved and filesystem uid of a process. */
    private static List<String> uids(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(line -> line.startsWith("Uid:"))
                .flatMap(line -> List.of(line.substring(4).trim().split("\\s+")).stream())
                .toList();
    }
}
