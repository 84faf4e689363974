package dev.vreg.upstream.gitlab;

import static dev.vreg.upstream.gitlab.GitlabClientSupport.failure;
import static dev.vreg.upstream.gitlab.GitlabClientSupport.hostHint;
import static dev.vreg.upstream.gitlab.GitlabClientSupport.open;
import static dev.vreg.upstream.gitlab.GitlabClientSupport.read;
import static dev.vreg.upstream.gitlab.TestProjects.HOST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.spi.ConnectionReport;
import dev.vreg.spi.Credentials;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.VregException;
import dev.vreg.testkit.gitlab.GitLabStandIn;
import dev.vreg.testkit.upstream.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Private projects through personal, group and deploy tokens; refusals and connection tests a person can act on. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GitlabAccessTest {

    private static final String PERSONAL = "glpat-personal-5e1f3a";
    private static final String GROUP = "glpat-group-77c2d0";
    private static final String NO_SCOPE = "glpat-noscope-19ab4c";
    private static final String STRANGER = "glpat-stranger-a0a0a0";
    private static final String DEPLOY_USER = "gitlab+deploy-token-7";
    private static final String DEPLOY = "gldt-deploy-3c9e21";
    private static final String ROOT = HOST + "/group/root";

    @TempDir
    static Path temp;

    private Vertx vertx;
    private GitLabStandIn gitlab;

    @BeforeAll
    void start() {
        vertx = Vertx.vertx();
        gitlab = GitLabStandIn.start();
        TestProjects.create(gitlab, temp.resolve("repos"));
        gitlab.personalToken(PERSONAL, Set.of("read_api"), "group")
                .groupToken(GROUP, "group")
                .personalToken(NO_SCOPE, Set.of("read_user"), "group")
                .personalToken(STRANGER, Set.of("read_api"), "elsewhere")
                .deployToken(DEPLOY_USER, DEPLOY, "group/root");
    }

    @AfterAll
    void stop() {
        gitlab.close();
        Await.result(vertx.close(), Duration.ofSeconds(20));
    }

    private UpstreamClient client(Credentials credentials) {
        return open(vertx, gitlab.baseUrl(), credentials, hostHint());
    }

    private UpstreamClient client(Credentials credentials, JsonObject settings) {
        return open(vertx, gitlab.baseUrl(), credentials, settings);
    }

    @Test
    void everyKindOfTokenReadsThePrivateProjectInItsOwnHeader() {
        int before = gitlab.credentialHeaders().size();
        try (UpstreamClient personal = client(Credentials.token(PERSONAL))) {
            assertThat(read(personal, ROOT, null, "list").toString()).isEqualTo("v1.0.0\nv1.1.0\n");
        }
        try (UpstreamClient group = client(Credentials.token(GROUP),
                hostHint().put("tokenAs", "bearer"))) {
            assertThat(read(group, ROOT, "v1.0.0", "mod").toString()).startsWith("module " + ROOT + "\n");
        }
        try (UpstreamClient deploy = client(Credentials.basic(DEPLOY_USER, DEPLOY))) {
            assertThat(read(deploy, ROOT, "v1.0.0", "info").toJsonObject().getString("Version"))
                    .isEqualTo("v1.0.0");
        }
        assertThat(gitlab.credentialHeaders().subList(before, gitlab.credentialHeaders().size()))
                .contains("PRIVATE-TOKEN", "Authorization: Bearer", "Authorization: Basic")
                .allMatch(h -> h.equals("PRIVATE-TOKEN") || h.startsWith("Authorization: "));
    }

    @Test
    void refusalsSayWhatToFixAndNeverShowTheToken() {
        try (UpstreamClient wrong = client(Credentials.token("glpat-wrong-secret-value"))) {
            Throwable e = failure(wrong, ROOT, null, "list");
            assertThat(VregException.is(e, ErrorKind.UNAUTHORIZED)).as(e.toString()).isTrue();
            assertThat(e.getMessage()).contains("401", "wrong, expired or revoked")
                    .doesNotContain("glpat-wrong-secret-value");
        }
        try (UpstreamClient noScope = client(Credentials.token(NO_SCOPE))) {
            Throwable e = failure(noScope, ROOT, null, "list");
            assertThat(VregException.is(e, ErrorKind.FORBIDDEN)).as(e.toString()).isTrue();
            assertThat(e.getMessage()).contains("read_api").doesNotContain(NO_SCOPE);
        }
        try (UpstreamClient stranger = client(Credentials.token(STRANGER))) {
            Throwable e = failure(stranger, ROOT, null, "list");
            assertThat(VregException.is(e, ErrorKind.NOT_FOUND)).as(e.toString()).isTrue();
            assertThat(e.getMessage()).contains("group/root", "token that can read it").doesNotContain(STRANGER);
        }
        try (UpstreamClient anonymous = client(null)) {
            assertThat(VregException.is(failure(anonymous, ROOT, null, "list"), ErrorKind.NOT_FOUND)).isTrue();
        }
    }

    @Test
    void modulesOutsideTheHintsAndVersionsThatDoNotExistAreNotFound() {
        try (UpstreamClient c = client(Credentials.token(PERSONAL))) {
            Throwable outside = failure(c, "example.com/other/mod", null, "list");
            assertThat(VregException.is(outside, ErrorKind.NOT_FOUND)).isTrue();
            assertThat(outside.getMessage()).contains("not under any module path", HOST);
            assertThat(VregException.is(failure(c, ROOT, "v9.0.0", "info"), ErrorKind.NOT_FOUND)).isTrue();
            assertThat(VregException.is(failure(c, ROOT, "v1.0.0+incompatible", "mod"), ErrorKind.NOT_FOUND))
                    .isTrue();
            // A pseudo-version with the right commit but another time is not the commit's name.
            String wrongTime = "v1.1.1-0.20200101000000-" + TestProjects.rootMain.substring(0, 12);
            Throwable pseudo = failure(c, ROOT, wrongTime, "zip");
            assertThat(VregException.is(pseudo, ErrorKind.NOT_FOUND)).isTrue();
            assertThat(pseudo.getMessage()).contains("does not match version-control timestamp");
            String noTag = "v1.5.1-0.20240102060405-" + TestProjects.rootMain.substring(0, 12);
            assertThat(failure(c, ROOT, noTag, "mod").getMessage()).contains("preceding tag (v1.5.0) not found");
            assertThat(VregException.is(failure(c, HOST + "/group/mono/sub", "v9.9.9", "info"), ErrorKind.NOT_FOUND))
                    .isTrue();
        }
    }

    @Test
    void aConnectionTestChecksTheInstanceTheTokenAndTheProject() throws Exception {
        JsonObject probe = hostHint().put("probeProject", "group/root");
        ConnectionReport ok = test(client(Credentials.token(PERSONAL), probe));
        assertThat(ok.ok()).as(ok.message()).isTrue();
        assertThat(ok.message()).contains(GitLabStandIn.VERSION, "group/root can be read");

        ConnectionReport wrong = test(client(Credentials.token("glpat-not-a-real-one"), probe));
        assertThat(wrong.reachable()).isTrue();
        assertThat(wrong.authenticated()).isFalse();
        assertThat(wrong.message()).contains("refused the token", "wrong, expired or revoked")
                .doesNotContain("glpat-not-a-real-one");

        ConnectionReport noAccess = test(client(Credentials.token(STRANGER), probe));
        assertThat(noAccess.ok()).isFalse();
        assertThat(noAccess.message()).contains("group/root was not found", "member");

        ConnectionReport missing = test(client(Credentials.token(PERSONAL),
                hostHint().put("probeProject", "group/no-such-project")));
        assertThat(missing.ok()).isFalse();
        assertThat(missing.message()).contains("group/no-such-project was not found");

        ConnectionReport deploy = test(client(Credentials.basic(DEPLOY_USER, DEPLOY), probe));
        assertThat(deploy.ok()).as(deploy.message()).isTrue();

        ConnectionReport scope = test(client(Credentials.token(NO_SCOPE), probe));
        assertThat(scope.ok()).isFalse();
        assertThat(scope.message()).contains("read_api");

        ConnectionReport notGitlab = test(open(vertx, URI.create(gitlab.baseUrl() + "/not-gitlab"),
                Credentials.token(PERSONAL), hostHint()));
        assertThat(notGitlab.ok()).isFalse();
        assertThat(notGitlab.message()).contains("no GitLab API", "without /api/v4");

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ConnectionReport down = test(open(vertx, URI.create("http://127.0.0.1:" + closedPort),
                Credentials.token(PERSONAL), hostHint()));
        assertThat(down.reachable()).isFalse();
        assertThat(down.message()).contains("refused the connection");
    }

    @Test
    void aHintMapsAModulePathPrefixOntoAGroup() {
        JsonObject settings = new JsonObject().put("modulePaths", new io.vertx.core.json.JsonArray()
                .add(new JsonObject().put("prefix", "go.example.test/libs").put("namespace", "group"))
                .add(new JsonObject().put("prefix", HOST).put("namespace", "")));
        try (UpstreamClient c = client(Credentials.token(PERSONAL), settings)) {
            assertThat(read(c, "go.example.test/libs/root", null, "list").toString()).isEqualTo("v1.0.0\nv1.1.0\n");
            assertThat(read(c, "go.example.test/libs/sub/deep/pkg", null, "list").toString()).isEqualTo("v0.1.0\n");
            assertThat(read(c, ROOT, null, "list").toString()).isEqualTo("v1.0.0\nv1.1.0\n");
        }
    }

    private static ConnectionReport test(UpstreamClient client) {
        try (client) {
            return Await.result(client.testConnection(), Duration.ofSeconds(30));
        }
    }
}
