package dev.vreg.upstream.gitlab;

import static dev.vreg.upstream.gitlab.GitlabClientSupport.WAIT;
import static dev.vreg.upstream.gitlab.GitlabClientSupport.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.go.hash.DirHash;
import dev.vreg.spi.Credentials;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.testkit.gitlab.GitLabStandIn;
import dev.vreg.testkit.gitlab.GitRepository;
import dev.vreg.testkit.upstream.Await;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many GitLab API requests the go command's {@code list}, {@code .info}, {@code .mod} and {@code .zip} of one
 * version cost: the project, the commit and each file are read once for the four of them, and a second module of
 * the same project finds the project without looking up the path below it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestsPerModuleTest {

    private static final String TOKEN = "glpat-requests-per-module-77";
    private static final String PROJECT = GitLabStandIn.MODULE_HOST + "/bench/p0";

    @TempDir
    static Path temp;

    private final Vertx vertx = Vertx.vertx();
    private GitLabStandIn gitlab;

    @BeforeAll
    void start() {
        gitlab = GitLabStandIn.start().personalToken(TOKEN, Set.of("read_api"), "bench");
        GitRepository repository = GitRepository.init(temp.resolve("repo")).write("LICENSE", "Permission granted.\n");
        for (String m : new String[] {"m000", "m001"}) {
            repository.write(m + "/go.mod", "module " + PROJECT + "/" + m + "\n\ngo 1.21\n")
                    .write(m + "/lib.go", "package " + m + "\n");
        }
        repository.commitAt("first", Instant.parse("2024-06-01T08:00:00Z"));
        repository.tag("m000/v1.0.0").tag("m001/v1.0.0");
        gitlab.project("bench/p0", repository, false);
    }

    @AfterAll
    void stop() {
        gitlab.close();
        Await.result(vertx.close(), WAIT);
    }

    @Test
    void oneVersionReadsProjectCommitAndFilesOnce() throws Exception {
        try (UpstreamClient client = GitlabClientSupport.open(vertx, gitlab.baseUrl(), Credentials.token(TOKEN),
                GitlabClientSupport.hostHint())) {
            int before = gitlab.requests().size();
            String first = PROJECT + "/m000";
            assertThat(read(client, first, null, "list").toString()).isEqualTo("v1.0.0\n");
            assertThat(read(client, first, "v1.0.0", "info").toString()).contains("\"Version\":\"v1.0.0\"");
            assertThat(read(client, first, "v1.0.0", "mod").toString()).isEqualTo("module " + first + "\n\ngo 1.21\n");
            Path zip = Files.write(temp.resolve("m000.zip"), read(client, first, "v1.0.0", "zip").getBytes());
            assertThat(DirHash.hashZip(zip)).startsWith("h1:");

            var firstRequests = gitlab.requests().subList(before, gitlab.requests().size());
            // bench/p0/m000 (no project), bench/p0; the tags; the tag's commit; m000/go.mod and LICENSE; the archive.
            assertThat(firstRequests).as(String.join("\n", firstRequests)).hasSize(7);
            assertThat(count(firstRequests, "/projects/bench%2Fp0")).isEqualTo(2);
            assertThat(count(firstRequests, "/repository/tags")).isEqualTo(1);
            assertThat(count(firstRequests, "/repository/commits/")).isEqualTo(1);
            assertThat(count(firstRequests, "/repository/files/")).isEqualTo(2);
            assertThat(count(firstRequests, "/repository/archive")).isEqualTo(1);

            int middle = gitlab.requests().size();
            String second = PROJECT + "/m001";
            assertThat(read(client, second, null, "list").toString()).isEqualTo("v1.0.0\n");
            assertThat(read(client, second, "v1.0.0", "info").toString()).contains("\"Version\":\"v1.0.0\"");
            assertThat(read(client, second, "v1.0.0", "mod").toString())
                    .isEqualTo("module " + second + "\n\ngo 1.21\n");
            read(client, second, "v1.0.0", "zip");
            var secondRequests = gitlab.requests().subList(middle, gitlab.requests().size());
            // The project, its tags and the LICENSE at the shared commit are known: the commit, go.mod, the archive.
            assertThat(secondRequests).as(String.join("\n", secondRequests)).hasSize(3);
            assertThat(count(secondRequests, "/repository/commits/")).isEqualTo(1);
            assertThat(count(secondRequests, "/repository/files/")).isEqualTo(1);
            assertThat(count(secondRequests, "/repository/archive")).isEqualTo(1);
        }
    }

    private static long count(java.util.List<String> requests, String part) {
        return requests.stream().filter(r -> r.contains(part)).count();
    }
}
