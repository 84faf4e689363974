package dev.vreg.upstream.gitlab;

import static dev.vreg.upstream.gitlab.GitlabClientSupport.WAIT;
import static dev.vreg.upstream.gitlab.GitlabClientSupport.failure;
import static dev.vreg.upstream.gitlab.GitlabClientSupport.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.go.hash.DirHash;
import dev.vreg.spi.Credentials;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.VregException;
import dev.vreg.testkit.gitlab.GitLabProject;
import dev.vreg.testkit.gitlab.GitLabStandIn;
import dev.vreg.testkit.gitlab.GitRepository;
import dev.vreg.testkit.go.GoproxyFixture;
import dev.vreg.testkit.upstream.Await;
import io.vertx.core.Vertx;
import java.net.URI;
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
 * Renamed and transferred projects: GitLab answers the old path with {@code 301} to the project's id, which the
 * upstream follows on the same instance only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MovedProjectsTest {

    private static final String TOKEN = "glpat-moved-projects-3c0ffe";
    private static final String OLD = GitLabStandIn.MODULE_HOST + "/team/old-name";

    @TempDir
    static Path temp;

    private final Vertx vertx = Vertx.vertx();
    private GitLabStandIn gitlab;
    private GoproxyFixture elsewhere;
    private GitLabProject moved;

    @BeforeAll
    void start() {
        gitlab = GitLabStandIn.start().personalToken(TOKEN, Set.of("read_api"), "team", "platform");
        GitRepository repository = GitRepository.init(temp.resolve("repo"))
                .write("go.mod", "module " + OLD + "\n\ngo 1.21\n")
                .write("lib.go", "package lib\n");
        repository.commitAt("first", Instant.parse("2024-06-01T08:00:00Z"));
        repository.tag("v1.0.0");
        gitlab.project("team/old-name", repository, false);
        moved = gitlab.move("team/old-name", "platform/new-name");
        elsewhere = GoproxyFixture.start();
        gitlab.redirect("team/hijacked", URI.create(elsewhere.baseUrl() + "api/v4/projects/1"));
    }

    @AfterAll
    void stop() {
        gitlab.close();
        elsewhere.close();
        Await.result(vertx.close(), WAIT);
    }

    private UpstreamClient client(String token) {
        return GitlabClientSupport.open(vertx, gitlab.baseUrl(), Credentials.token(token),
                GitlabClientSupport.hostHint());
    }

    @Test
    void aModuleOfARenamedProjectIsServedFromItsOldPath() throws Exception {
        try (UpstreamClient client = client("glpat-moved-projects-3c0ffe")) {
            assertThat(read(client, OLD, null, "list").toString()).isEqualTo("v1.0.0\n");
            assertThat(read(client, OLD, "v1.0.0", "mod").toString()).isEqualTo("module " + OLD + "\n\ngo 1.21\n");
            Path zip = Files.write(temp.resolve("moved.zip"), read(client, OLD, "v1.0.0", "zip").getBytes());
            assertThat(DirHash.hashZip(zip)).startsWith("h1:");
        }
        assertThat(gitlab.requests()).contains("GET /api/v4/projects/team%2Fold-name")
                .contains("GET /api/v4/projects/" + moved.id());
    }

    @Test
    void theMoveIsNoWayAroundTheTokensAccess() {
        gitlab.personalToken("glpat-other-group-a91e", Set.of("read_api"), "elsewhere");
        try (UpstreamClient client = client("glpat-other-group-a91e")) {
            Throwable e = failure(client, OLD, null, "list");
            assertThat(((VregException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND);
        }
    }

    @Test
    void aRedirectToAnotherHostIsNotFollowedAndGetsNoCredentials() {
        elsewhere.resetCounters();
        try (UpstreamClient client = client(TOKEN)) {
            Throwable e = failure(client, GitLabStandIn.MODULE_HOST + "/team/hijacked", null, "list");
            assertThat(((VregException) e).kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
            assertThat(e.getMessage()).contains("301").contains("does not follow").doesNotContain(TOKEN);
        }
        assertThat(elsewhere.totalRequests()).isZero();
    }
}
