package dev.vreg.host.db.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

/**
 * The account PostgreSQL runs under. As root, vreg hands the server to {@code nobody} and needs the data directory
 * reachable by it; as any other user the server runs as that user and nothing is handed over. Whichever user runs
 * the suite, its case is proven; CI runs as root, so there the {@code nobody} case must be the one proven.
 */
@Timeout(180)
class RootAccountTest {

    private final TestDirs dirs = new TestDirs();
    private boolean root;
    private int self;

    @BeforeEach
    void account() throws IOException {
        self = Platform.effectiveUid();
        root = self == 0;
        assertThat(root || System.getenv("CI") == null).as("CI must run the root account tests as root").isTrue();
    }

    @AfterEach
    void deleteDirs() throws IOException {
        dirs.close();
    }

    @Test
    void serverRunsAsNobodyAndOwnsOnlyWhatItWrites() throws Exception {
        int server = root ? ServerAccount.NOBODY : self;
        Path dataDir = dirs.newDir();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir, TestDirs.SHARED_DIST)) {
            long pid = PostmasterPid.read(postgres.pgData()).orElseThrow();
            assertThat(uids(pid)).containsOnly(Integer.toString(server));
            assertThat(uid(postgres.pgData())).isEqualTo(server);
            assertThat(uid(dataDir.resolve("postgres.log"))).isEqualTo(server);
            assertThat(uid(dataDir.resolve("postgres.password"))).isEqualTo(self);
            assertThat(uid(TestDirs.SHARED_DIST)).isEqualTo(self);
        }
    }

    @Test
    void aDataDirectoryNobodyCannotReachIsReportedAndLeftAlone() throws Exception {
        Path locked = dirs.newDir().resolve("private");
        Files.createDirectories(locked);
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        Path dataDir = locked.resolve("vreg-data");

        if (root) {
            assertThatThrownBy(() -> EmbeddedPostgres.start(dataDir, TestDirs.SHARED_DIST))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("nobody")
                    .hasMessageContaining(locked + " does not let other users traverse it")
                    .hasMessageContaining("chmod o+x " + locked)
                    .hasMessageContaining("run vreg as a non-root user");
            assertThat(dataDir.resolve("postgres")).doesNotExist();
        } else {
            // The server runs as the owner, who can reach it.
            try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir, TestDirs.SHARED_DIST)) {
                assertThat(SqlClient.column(postgres, "SELECT 1")).containsExactly("1");
            }
        }
        assertThat(Files.getPosixFilePermissions(locked)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void theDataDirectoryItselfIsMadeTraversable() throws Exception {
        Path dataDir = dirs.newDir();
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir, TestDirs.SHARED_DIST)) {
            assertThat(SqlClient.column(postgres, "SELECT 1")).containsExactly("1");
        }
        assertThat(Files.getPosixFilePermissions(dataDir))
                .isEqualTo(PosixFilePermissions.fromString(root ? "rwx-----x" : "rwx------"));
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
