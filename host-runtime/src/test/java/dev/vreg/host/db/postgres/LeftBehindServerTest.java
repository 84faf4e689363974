package dev.vreg.host.db.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(180)
class LeftBehindServerTest {

    private final TestDirs dirs = new TestDirs();

    @AfterEach
    void deleteDirs() throws IOException {
        dirs.close();
    }

    @Test
    void theNextStartStopsAServerLeftRunningByAKilledJvm() throws Exception {
        Path dataDir = dirs.newDir();
        Process jvm = startJvm(dataDir);
        long orphanPid;
        try {
            int port = awaitPort(jvm);
            String password = Files.readString(dataDir.resolve("postgres.password")).strip();
            try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/vreg",
                    "vreg", password); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE from_before_the_crash AS SELECT 7 AS x");
            }
            orphanPid = PostmasterPid.read(dataDir.resolve("postgres")).orElseThrow();
        } finally {
            jvm.destroyForcibly().waitFor();
        }
        Path pgData = dataDir.toRealPath().resolve("postgres");
        assertThat(PostmasterPid.isServerFor(orphanPid, pgData)).as("server outlives the killed JVM").isTrue();

        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir, TestDirs.SHARED_DIST)) {
            assertThat(PostmasterPid.isServerFor(orphanPid, pgData)).as("left-behind server stopped").isFalse();
            assertThat(SqlClient.column(postgres, "SELECT x FROM from_before_the_crash")).containsExactly("7");
        }
    }

    @Test
    void aTerminatedJvmStopsItsServerOnTheWayOut() throws Exception {
        Path dataDir = dirs.newDir();
        Process jvm = startJvm(dataDir);
        long pid;
        try {
            awaitPort(jvm);
            pid = PostmasterPid.read(dataDir.resolve("postgres")).orElseThrow();
        } finally {
            // SIGTERM, as from Ctrl-C or a service manager: the JVM runs its shutdown hooks.
            jvm.destroy();
        }
        assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(PostmasterPid.isServerFor(pid, dataDir.toRealPath().resolve("postgres"))).isFalse();
        assertThat(dataDir.resolve("postgres/postmaster.pid")).doesNotExist();
    }

    private static Process startJvm(Path dataDir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), LeftBehindServer.class.getName(), dataDir.toString(),
                TestDirs.SHARED_DIST.toString());
        return new ProcessBuilder(command).redirectError(Redirect.DISCARD).start();
    }

    /** Reads the child's output until it reports its port; its log lines come first. */
    private static int awaitPort(Process jvm) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("PORT ")) {
                return Integer.parseInt(line.substring(5).trim());
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("child JVM exited without starting PostgreSQL:\n" + seen);
    }
}
