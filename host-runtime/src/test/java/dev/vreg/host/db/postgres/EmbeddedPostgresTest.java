package dev.vreg.host.db.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(180)
class EmbeddedPostgresTest {

    private final TestDirs dirs = new TestDirs();

    @AfterEach
    void deleteDirs() throws IOException {
        dirs.close();
    }

    @Test
    void firstStartCreatesTheDatabaseAndARestartKeepsTheData() throws Exception {
        Path dataDir = dirs.newDir();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir)) {
            assertThat(postgres.host()).isEqualTo("127.0.0.1");
            assertThat(postgres.port()).isPositive();
            assertThat(postgres.user()).isEqualTo("vreg");
            assertThat(postgres.database()).isEqualTo("vreg");
            assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/vreg");
            assertThat(postgres.pgData()).isEqualTo(dataDir.toRealPath().resolve("postgres"));
            SqlClient.execute(postgres, "CREATE TABLE notes (id int PRIMARY KEY, body text)",
                    "INSERT INTO notes VALUES (1, 'kept'), (2, 'ünïcode')");
            assertThat(SqlClient.column(postgres, "SELECT body FROM notes ORDER BY id")).containsExactly("kept",
                    "ünïcode");
            assertThat(SqlClient.column(postgres, "SELECT current_database()")).containsExactly("vreg");
        }
        assertThat(dataDir.resolve("postgres/postmaster.pid")).doesNotExist();
        assertThat(dataDir.resolve("postgres.log")).isNotEmptyFile();

        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir)) {
            assertThat(SqlClient.column(postgres, "SELECT body FROM notes ORDER BY id")).containsExactly("kept",
                    "ünïcode");
        }
    }

    @Test
    void serverIsReachableOnLoopbackOnlyAndWithThePasswordOnly() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dirs.newDir(), TestDirs.SHARED_DIST)) {
            assertThat(SqlClient.column(postgres, "SHOW listen_addresses")).containsExactly("127.0.0.1");
            assertThat(SqlClient.column(postgres, "SHOW unix_socket_directories")).containsExactly("");
            assertThat(SqlClient.column(postgres, "SHOW server_encoding")).containsExactly("UTF8");
            assertThat(SqlClient.column(postgres,
                    "SELECT datcollate FROM pg_database WHERE datname = current_database()")).containsExactly("C");
            assertThat(SqlClient.column(postgres, "SHOW fsync")).containsExactly("on");
            assertThat(postgres.password()).hasSizeGreaterThanOrEqualTo(32);
            assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "wrong"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
            assertThat(Files.getPosixFilePermissions(postgres.pgData().resolveSibling("postgres.password")))
                    .containsExactlyInAnyOrderElementsOf(ServerAccount.privateMode(false));
        }
    }

    @Test
    void twoInstancesRunSideBySideOnDifferentPorts() throws Exception {
        try (EmbeddedPostgres first = EmbeddedPostgres.start(dirs.newDir(), TestDirs.SHARED_DIST);
                EmbeddedPostgres second = EmbeddedPostgres.start(dirs.newDir(), TestDirs.SHARED_DIST)) {
            assertThat(first.port()).isNotEqualTo(second.port());
            SqlClient.execute(first, "CREATE TABLE only_in_first (x int)");
            assertThat(SqlClient.column(second, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_first'"))
                    .containsExactly("0");
        }
    }

    @Test
    void aSecondStartOnADirectoryInUseIsRefusedAndCloseIsIdempotent() throws Exception {
        Path dataDir = dirs.newDir();
        EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir, TestDirs.SHARED_DIST);
        try {
            assertThatThrownBy(() -> EmbeddedPostgres.start(dataDir, TestDirs.SHARED_DIST))
                    .isInstanceOf(IOException.class).hasMessageContaining("already in use");
            assertThat(SqlClient.column(postgres, "SELECT 1")).containsExactly("1");
        } finally {
            postgres.close();
        }
        postgres.close();
        assertThat(dataDir.resolve("postgres/postmaster.pid")).doesNotExist();
        assertThatThrownBy(() -> SqlClient.connect(postgres)).isInstanceOf(SQLException.class);
    }

    @Test
    void restartsAfterTheServerWasKilledAndLeftAStalePidFile() throws Exception {
        Path dataDir = dirs.newDir();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir, TestDirs.SHARED_DIST)) {
            SqlClient.execute(postgres, "CREATE TABLE survivors (x int)", "INSERT INTO survivors VALUES (42)");
            long pid = PostmasterPid.read(postgres.pgData()).orElseThrow();
            ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
            List<ProcessHandle> children = postmaster.children().toList();
            postmaster.destroyForcibly();
            // Its children notice the postmaster's death and exit; until they do, PostgreSQL rightly refuses to
            // start on the same shared memory.
            awaitGone(pid, children);
        }
        assertThat(dataDir.resolve("postgres/postmaster.pid")).exists();

        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir, TestDirs.SHARED_DIST)) {
            assertThat(SqlClient.column(postgres, "SELECT x FROM survivors")).containsExactly("42");
        }
    }

    @Test
    void anInterruptedFirstStartIsRedone() throws Exception {
        Path dataDir = dirs.newDir();
        Files.createDirectories(dataDir.resolve("postgres.initdb/data/base"));
        Files.writeString(dataDir.resolve("postgres.initdb/data/PG_VERSION"), "17\n");
        Files.createDirectories(dataDir.resolve("postgres"));
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir, TestDirs.SHARED_DIST)) {
            assertThat(SqlClient.column(postgres, "SELECT current_database()")).containsExactly("vreg");
        }
        assertThat(dataDir.resolve("postgres.initdb")).doesNotExist();
    }

    @Test
    void aForeignDirectoryWhereTheClusterBelongsIsNotTouched() throws Exception {
        Path dataDir = dirs.newDir();
        Path stray = Files.createDirectories(dataDir.resolve("postgres")).resolve("notes.txt");
        Files.writeString(stray, "not a cluster");
        assertThatThrownBy(() -> EmbeddedPostgres.start(dataDir, TestDirs.SHARED_DIST))
                .isInstanceOf(IOException.class).hasMessageContaining("holds no PostgreSQL cluster");
        assertThat(stray).hasContent("not a cluster");
    }

    static void awaitGone(long pid, List<ProcessHandle> children) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && (PostmasterPid.isRunningPostgres(pid)
                || children.stream().anyMatch(child -> PostmasterPid.isRunningPostgres(child.pid())))) {
            Thread.sleep(50);
        }
        assertThat(PostmasterPid.isRunningPostgres(pid)).as("postmaster %s still running", pid).isFalse();
    }
}
