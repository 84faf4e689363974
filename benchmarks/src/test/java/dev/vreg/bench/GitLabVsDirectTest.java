package dev.vreg.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.config.VregConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The GitLab scenario of the harness at a tiny size, for what it measures, not how fast: a vreg on its embedded
 * default with a GitLab upstream, the stand-in serving five modules from two real git repositories, and the real go
 * command through vreg and directly. Every run must write the hashes of the direct fetch, the cold run must read
 * GitLab's API (an archive per module), the warm one must not, and a new round must be cold again.
 */
@Timeout(600)
class GitLabVsDirectTest {

    static final String ADMIN = "vreg_bench-test-admin-token-0123456789abcdef";
    static final int MODULES = 5;

    static Path work;
    static VregServer vreg;
    static GitLabFixture gitlab;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createDirectories(Path.of("target", "bench-tests", UUID.randomUUID().toString())
                .toAbsolutePath());
        String plugins = System.getProperty("vreg.plugins.dir");
        assertThat(plugins).as("system property vreg.plugins.dir (run the test with Maven)").isNotNull();
        assertThat(Path.of(plugins).resolve("go-format.jar")).as("the Go format's plugin archive").exists();
        assertThat(Path.of(plugins).resolve("gitlab-upstream.jar")).as("the GitLab upstream's plugin archive")
                .exists();
        VregConfig config = new VregConfig();
        config.dataDir = Files.createDirectories(work.resolve("vreg"));
        config.http.host = "127.0.0.1";
        config.http.port = freePort();
        config.http.tls.generate = false;
        config.plugins.dir = Path.of(plugins);
        config.upstreams.allowedNetworks = List.of("127.0.0.0/8");
        config.auth.adminToken = ADMIN;
        vreg = VregServer.start(config);
        gitlab = GitLabFixture.start(work.resolve("gitlab"), MODULES, 2);
    }

    @AfterAll
    static void stop() throws IOException {
        if (vreg != null) {
            vreg.close();
        }
        if (gitlab != null) {
            gitlab.close();
        }
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void throughVregAndDirectTheGoCommandGetsTheSameHashes() throws Exception {
        GitLabVsDirect scenario = new GitLabVsDirect(gitlab, work.resolve("scenario"));
        assertThat(scenario.configure(new GitLabVsDirect.Target("vreg", vreg.baseUrl(), ADMIN)))
                .isEqualTo(vreg.baseUrl() + "/go/bench/gitlab");
        Table table = new Table(List.of("vreg", GitLabVsDirect.DIRECT));

        Map<String, GitLabVsDirect.Run> first = scenario.round(1, table);
        assertThat(first).containsOnlyKeys("vreg cold", "vreg warm", "direct cold", "direct warm");
        Map<String, List<String>> sums = first.get("direct cold").sums();
        assertThat(sums).hasSize(MODULES).containsKeys("git.example.test/bench/p0/m000@v1.1.0",
                "git.example.test/bench/p1/m001@v1.1.0", "git.example.test/bench/p0/m004@v1.1.0");
        assertThat(sums.values()).allSatisfy(zipAndMod -> assertThat(zipAndMod).hasSize(2)
                .allSatisfy(h1 -> assertThat(h1).matches("h1:[A-Za-z0-9+/]{43}=")));
        assertThat(first.values()).allSatisfy(run -> assertThat(run.sums()).isEqualTo(sums));

        assertThat(first.get("vreg cold").apiRequests()).isGreaterThanOrEqualTo(3L * MODULES);
        assertThat(gitlab.apiRequestsByKind()).containsEntry("archive.zip", (long) MODULES);
        assertThat(first.get("vreg warm").apiRequests()).isZero();
        assertThat(first.get("direct cold").apiRequests()).isZero();
        assertThat(first.get("direct warm").apiRequests()).isZero();

        Map<String, GitLabVsDirect.Run> second = scenario.round(2, table);
        assertThat(second.get("vreg cold").sums()).containsOnlyKeys(sums.keySet().stream()
                .map(k -> k.replace("@v1.1.0", "@v1.2.0")).toList());
        assertThat(second.get("vreg cold").apiRequests()).isGreaterThanOrEqualTo(3L * MODULES);
        assertThat(gitlab.apiRequestsByKind()).containsEntry("archive.zip", 2L * MODULES);

        for (String temperature : List.of("cold", "warm")) {
            for (String column : List.of("vreg", GitLabVsDirect.DIRECT)) {
                assertThat(table.median(scenario.row(temperature), column).present())
                        .as("%s, %s", scenario.row(temperature), column).isTrue();
            }
        }
        assertThat(table.render()).contains("`go mod download`, 5 modules from GitLab (2 repositories), cold",
                "vreg vs direct");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
