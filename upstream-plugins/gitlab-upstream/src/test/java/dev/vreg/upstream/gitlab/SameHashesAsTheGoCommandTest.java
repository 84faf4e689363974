package dev.vreg.upstream.gitlab;

import static dev.vreg.upstream.gitlab.GitlabClientSupport.read;
import static dev.vreg.upstream.gitlab.GitlabClientSupport.readZip;
import static dev.vreg.upstream.gitlab.TestProjects.HOST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.go.hash.DirHash;
import dev.vreg.go.zip.ZipCheck;
import dev.vreg.go.zip.ZipLimits;
import dev.vreg.spi.Credentials;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.testkit.gitlab.GitLabStandIn;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.GoToolBuilder;
import dev.vreg.testkit.go.ModDownload;
import dev.vreg.testkit.upstream.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plugin's answers, made from GitLab's API, against the real go command's own direct fetch of the same
 * repositories ({@code GOPROXY=direct}, git cloning them from disk): the same version for every query, and the same
 * {@code h1:} hashes of the zip and the go.mod.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SameHashesAsTheGoCommandTest {

    private static final String TOKEN = "glpat-hashes-0123456789";

    @TempDir
    static Path temp;

    private Vertx vertx;
    private GitLabStandIn gitlab;
    private UpstreamClient client;
    private GoTool direct;

    @BeforeAll
    void start() {
        vertx = Vertx.vertx();
        gitlab = GitLabStandIn.start();
        TestProjects.create(gitlab, temp.resolve("repos"));
        gitlab.personalToken(TOKEN, Set.of("read_api"), "group");
        client = GitlabClientSupport.open(vertx, gitlab.baseUrl(), Credentials.token(TOKEN),
                GitlabClientSupport.hostHint());
        Path gitConfig = gitlab.writeGitConfig(temp.resolve("gitconfig"));
        GoToolBuilder builder = GoTool.builder(temp.resolve("direct"));
        for (Map.Entry<String, String> e : gitlab.goEnvironment(gitConfig).entrySet()) {
            builder.env(e.getKey(), e.getValue());
        }
        direct = builder.build();
    }

    @AfterAll
    void stop() {
        client.close();
        gitlab.close();
        Await.result(vertx.close(), Duration.ofSeconds(20));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "group/root@v1.0.0",
        "group/root@v1.1.0",
        "group/root@main",
        "group/root@feature",
        "group/mono/sub@v1.2.0",
        "group/mono/sub@main",
        "group/mono/other@v0.3.0",
        "group/majors@v1.0.0",
        "group/majors/v2@v2.0.0",
        "group/branchy/v2@v2.1.0",
        "group/branchy/v2@main",
        "group/branchy@v1.0.0",
        "group/legacy@v1.0.0",
        "group/legacy@v2.0.0+incompatible",
        "group/legacy@v3.1.0+incompatible",
        "group/legacy@main",
        "group/sub/deep/pkg@v0.1.0",
    })
    void answersWhatTheGoCommandComputesFromTheRepository(String query) throws Exception {
        String module = HOST + "/" + query.substring(0, query.indexOf('@'));
        String rev = query.substring(query.indexOf('@') + 1);
        List<ModDownload> downloads = direct.modDownloadJson(module + "@" + rev);
        assertThat(downloads).hasSize(1);
        ModDownload expected = downloads.get(0);
        assertThat(expected.error()).as("the go command's own fetch of %s", query).isNull();

        JsonObject info = read(client, module, rev, "info").toJsonObject();
        assertThat(info.getString("Version")).isEqualTo(expected.version());
        String version = expected.version();

        assertThat(DirHash.hashGoMod(read(client, module, version, "mod").getBytes()))
                .as("go.mod hash of %s@%s", module, version).isEqualTo(expected.goModSum());
        Path zip = readZip(client, module, version, temp.resolve("zips"));
        assertThat(new ZipCheck(ZipLimits.DEFAULT).check(module, version, zip))
                .as("zip hash of %s@%s", module, version).isEqualTo(expected.sum());
    }

    @Test
    void theZipLeavesOutWhatTheGoCommandLeavesOut() throws Exception {
        Path zip = readZip(client, HOST + "/group/root", "v1.0.0", temp.resolve("zips"));
        String prefix = HOST + "/group/root@v1.0.0/";
        try (ZipFile z = new ZipFile(zip.toFile())) {
            List<String> names = z.stream().map(e -> e.getName()).toList();
            assertThat(names).contains(prefix + "go.mod", prefix + "root.go", prefix + "LICENSE",
                    prefix + "vendor/modules.txt", prefix + "internal/util/util.go");
            assertThat(names).allMatch(n -> n.startsWith(prefix)).noneMatch(n -> n.endsWith("/"))
                    .doesNotContain(prefix + "vendor/example.com/dep/dep.go", prefix + "nested/go.mod",
                            prefix + "nested/nested.go", prefix + "link.go");
        }
        Path sub = readZip(client, HOST + "/group/mono/sub", "v1.2.0", temp.resolve("zips"));
        try (ZipFile z = new ZipFile(sub.toFile())) {
            String subPrefix = HOST + "/group/mono/sub@v1.2.0/";
            assertThat(new String(z.getInputStream(z.getEntry(subPrefix + "LICENSE")).readAllBytes()))
                    .isEqualTo(TestProjects.LICENSE);
            // go 1.22 modules keep vendor/modules.txt; the vendored package stays out.
            assertThat(z.stream().map(e -> e.getName()).toList())
                    .containsExactlyInAnyOrder(subPrefix + "go.mod", subPrefix + "sub.go", subPrefix + "LICENSE",
                            subPrefix + "vendor/modules.txt");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"group/root", "group/mono/sub", "group/majors", "group/majors/v2", "group/branchy",
        "group/branchy/v2", "group/legacy", "group/mono/other"})
    void listsTheVersionsTheGoCommandLists(String project) {
        String module = HOST + "/" + project;
        String out = direct.run("list", "-m", "-versions", module).assertSuccess().stdout().trim();
        List<String> expected = List.of(out.split(" ")).subList(1, out.split(" ").length);
        String list = read(client, module, null, "list").toString();
        assertThat(list.isEmpty() ? List.<String>of() : List.of(list.trim().split("\n")))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void branchesAndCommitsBecomeThePseudoVersionsTheGoCommandForms() {
        String module = HOST + "/group/root";
        String main = read(client, module, "main", "info").toJsonObject().getString("Version");
        assertThat(main).matches("v1\\.1\\.1-0\\.\\d{14}-" + TestProjects.rootMain.substring(0, 12));
        String bySha = read(client, module, TestProjects.rootMain.substring(0, 12), "info").toJsonObject()
                .getString("Version");
        assertThat(bySha).isEqualTo(main);
        assertThat(read(client, module, TestProjects.rootV100, "info").toJsonObject().getString("Version"))
                .isEqualTo("v1.0.0");
        String subMain = read(client, HOST + "/group/mono/sub", "main", "info").toJsonObject().getString("Version");
        assertThat(subMain).startsWith("v1.2.1-0.");
        assertThat(direct.modDownloadJson(module + "@" + bySha).get(0).version()).isEqualTo(main);
    }
}
