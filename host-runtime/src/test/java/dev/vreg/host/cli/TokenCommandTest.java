package dev.vreg.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.api.ApiClient;
import dev.vreg.host.api.ApiClient.Answer;
import dev.vreg.host.support.LogCapture;
import dev.vreg.host.identity.Tokens;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.support.TestVreg;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code vreg token} on a real data directory: beside a running vreg (through the server it drives) and with vreg
 * stopped (starting the embedded PostgreSQL itself); tokens it makes authenticate against the API, and revoking one
 * reaches the running node at once.
 */
@Timeout(300)
class TokenCommandTest {

    private static final String ADMIN = "vreg_token-command-test-admin-0123456789abcdef";
    private static final String TOKEN_LINE = "vreg_[A-Za-z0-9_-]{43}\n";

    private static LogCapture logs;
    private static Path dataDir;
    private static VregConfig config;
    private static VregServer vreg;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        logs = LogCapture.attach();
        dataDir = TestVreg.newDataDir();
        config = TestVreg.config(dataDir, List.of("http://127.0.0.1:9"));
        config.auth.adminToken = ADMIN;
        // Far longer than any wait below: a revoked token answers 401 only because the NOTIFY reached the node.
        config.auth.tokenCacheValidity = Duration.ofMinutes(10);
        startVreg();
        Answer created = api.post("/api/v1/users", ADMIN, new JsonObject().put("username", "tina"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    private static void startVreg() {
        config.http.port = TestVreg.freePort();
        vreg = TestVreg.start(config);
        api = new ApiClient(vreg.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (vreg != null) {
            vreg.close();
        }
        if (logs != null) {
            logs.close();
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run vreg(String... args) {
        CommandLine cli = new CommandLine(new VregCommand());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** {@code vreg token <args> --data-dir <the test's directory>}. */
    private static Run token(String... args) {
        List<String> all = new ArrayList<>(List.of("token"));
        all.addAll(Arrays.asList(args));
        all.addAll(List.of("--data-dir", dataDir.toString()));
        return vreg(all.toArray(String[]::new));
    }

    private static List<List<String>> table(String out) {
        return out.lines().map(line -> List.of(line.split(" {2,}"))).toList();
    }

    @Test
    void aTokenMadeBesideARunningVregAuthenticatesIsListedWithoutItsHashAndIsRevokedAtOnce() throws Exception {
        Run created = token("create", "--user", "tina", "--name", "laptop", "--expires-in", "30d");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).matches(TOKEN_LINE);
        String token = created.out().strip();
        assertThat(created.err()).contains("created token", "'laptop'", "tina", "read,write").doesNotContain(token);

        Answer me = api.get("/api/v1/user", token);
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(me.json().getString("username")).isEqualTo("tina");
        vreg.lastUsedTokens().flush().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        Run listed = token("list", "--user", "tina");
        assertThat(listed.exit()).as(listed.err()).isZero();
        assertThat(listed.out()).doesNotContain(token).doesNotContain(Tokens.hash(token))
                .doesNotContainPattern("[0-9a-f]{64}");
        List<List<String>> rows = table(listed.out());
        assertThat(rows.get(0)).containsExactly("ID", "NAME", "SCOPES", "EXPIRES", "LAST USED", "CREATED");
        assertThat(rows).hasSize(2);
        List<String> row = rows.get(1);
        assertThat(row.get(1)).isEqualTo("laptop");
        assertThat(row.get(2)).isEqualTo("read,write");
        assertThat(Instant.parse(row.get(3))).isBetween(Instant.now().plus(Duration.ofDays(30)).minusSeconds(120),
                Instant.now().plus(Duration.ofDays(30)));
        assertThat(Instant.parse(row.get(4))).isBetween(Instant.now().minusSeconds(120), Instant.now());
        assertThat(Instant.parse(row.get(5))).isBetween(Instant.now().minusSeconds(120), Instant.now());

        Run revoked = token("revoke", row.get(0));
        assertThat(revoked.exit()).as(revoked.err()).isZero();
        assertThat(revoked.out()).isEmpty();
        assertThat(revoked.err()).contains("revoked token " + row.get(0), "'laptop'", "tina");
        assertThat(statusWithin(Duration.ofSeconds(5), token, 401)).isEqualTo(401);
        assertThat(table(token("list", "--user", "tina").out())).hasSize(1);

        Run again = token("revoke", row.get(0));
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("no personal token with id " + row.get(0));
        assertThat(logs.lines()).noneMatch(line -> line.contains(token) || line.contains(Tokens.hash(token)));

        // Both changes are in the instance's audit log, as changes through the API are, without the token.
        Answer audit = api.get("/api/v1/audit-events?action=token.*&actor=command%20line%20("
                + System.getProperty("user.name") + ")", ADMIN);
        assertThat(audit.status()).as(audit.body()).isEqualTo(200);
        assertThat(audit.json().getJsonArray("events").stream().map(e -> ((io.vertx.core.json.JsonObject) e)
                .getString("action")).toList()).containsExactly("token.revoked", "token.created");
        assertThat(audit.body()).doesNotContain(token).contains("/users/tina/tokens");
    }

    /** The NOTIFY reaches the node asynchronously, so the answer is polled for a little while. */
    private static int statusWithin(Duration limit, String token, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        int status = api.get("/api/v1/user", token).status();
        while (status != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
            status = api.get("/api/v1/user", token).status();
        }
        return status;
    }

    @Test
    void unknownUsersAndTokensExitWithOneAndInvalidArgumentsWithTwo() {
        Run unknownUser = token("create", "--user", "nobody-here");
        assertThat(unknownUser.exit()).isEqualTo(1);
        assertThat(unknownUser.out()).isEmpty();
        assertThat(unknownUser.err()).contains("user 'nobody-here' does not exist");
        assertThat(token("list", "--user", "nobody-here").exit()).isEqualTo(1);
        assertThat(token("revoke", "987654321").exit()).isEqualTo(1);

        assertInvalid(token("create", "--user", "tina", "--scopes", "read,root"),
                "'root' is not one of read, write, admin");
        assertInvalid(token("create", "--user", "tina", "--expires-at", "2000-01-01T00:00:00Z"), "in the future");
        assertInvalid(token("create", "--user", "tina", "--expires-at", "tomorrow"), "RFC 3339");
        assertInvalid(token("create", "--user", "tina", "--expires-in", "soon"), "30d");
        assertInvalid(token("create", "--user", "tina", "--expires-in", "0s"), "positive");
        assertInvalid(token("create", "--user", "tina", "--expires-in", "1d", "--expires-at", "2999-01-01T00:00:00Z"),
                "mutually exclusive");
        assertInvalid(token("create", "--user", "tina", "--name", " "), "--name");
        assertInvalid(token("create"), "--user");
        assertInvalid(token("revoke", "first"), "ID");
        assertInvalid(vreg("token"), "create, list or revoke");
        assertThat(table(token("list", "--user", "tina").out())).hasSize(1);

        Run elsewhere = vreg("token", "create", "--user", "tina", "--data-dir",
                TestVreg.newDataDir().toString());
        assertThat(elsewhere.exit()).isEqualTo(1);
        assertThat(elsewhere.err()).contains("there is no vreg database in");
    }

    private static void assertInvalid(Run run, String message) {
        assertThat(run.exit()).as(run.err()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains(message);
    }

    @Test
    void withVregStoppedTheCommandRunsTheEmbeddedDatabaseItselfAndALockedDirectoryIsExplained() throws Exception {
        vreg.close();
        vreg = null;
        try (FileChannel channel = FileChannel.open(dataDir.resolve("postgres.lock"), StandardOpenOption.WRITE);
                FileLock held = channel.lock()) {
            Run locked = token("create", "--user", "admin");
            assertThat(locked.exit()).isEqualTo(1);
            assertThat(locked.out()).isEmpty();
            assertThat(locked.err()).contains("a running vreg holds the data directory " + dataDir,
                    "no PostgreSQL server is running", "POST /api/v1/users/{username}/tokens", "stop vreg");
        }

        Run created = token("create", "--user", "admin");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).matches(TOKEN_LINE);
        String token = created.out().strip();
        assertThat(dataDir.resolve("postgres/postmaster.pid")).doesNotExist();
        Run listed = token("list", "--user", "admin");
        assertThat(listed.exit()).as(listed.err()).isZero();
        assertThat(table(listed.out())).anySatisfy(row -> assertThat(row).containsSubsequence("cli",
                "read,write,admin", "never", "never"));

        startVreg();
        Answer me = api.get("/api/v1/user", token);
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(me.json().getString("username")).isEqualTo("admin");
        assertThat(me.json().getBoolean("admin")).isTrue();
        assertThat(logs.lines()).noneMatch(line -> line.contains(token) || line.contains(Tokens.hash(token)));
    }
}
