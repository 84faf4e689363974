package dev.vreg.testkit.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.ModDownload;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stand-in answers like GitLab, from the real repository, and the real go command can clone that repository. */
class GitLabStandInTest {

    @TempDir
    static Path temp;

    static GitLabStandIn gitlab;
    static GitRepository repo;
    static String v1;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        repo = GitRepository.init(temp.resolve("repos/group/proj"));
        repo.write("go.mod", "module git.example.test/group/proj\n\ngo 1.21\n")
                .write("proj.go", "package proj\n")
                .write("sub/go.mod", "module git.example.test/group/proj/sub\n")
                .write("sub/sub.go", "package sub\n");
        v1 = repo.commit("first");
        repo.tag("v1.0.0").tag("sub/v0.1.0");
        repo.write("proj.go", "package proj\n\nconst X = 1\n");
        repo.commit("second");
        repo.annotatedTag("v1.1.0", "release 1.1");
        gitlab = GitLabStandIn.start();
        gitlab.project("group/proj", repo, false);
        gitlab.personalToken("glpat-reader", Set.of("read_api"), "group");
        gitlab.personalToken("glpat-noscope", Set.of("read_user"), "group");
        gitlab.personalToken("glpat-stranger", Set.of("read_api"), "other");
        gitlab.deployToken("gitlab+deploy-token-1", "gldt-secret", "group/proj");
    }

    @AfterAll
    static void stop() {
        gitlab.close();
    }

    static HttpResponse<byte[]> get(String path, String header, String value) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gitlab.baseUrl() + path));
        if (header != null) {
            request.header(header, value);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static JsonNode json(HttpResponse<byte[]> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void projectsAreFoundByEncodedPathWithAToken() throws Exception {
        HttpResponse<byte[]> r = get("/api/v4/projects/group%2Fproj", "PRIVATE-TOKEN", "glpat-reader");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("path_with_namespace").asText()).isEqualTo("group/proj");
        assertThat(json(r).get("default_branch").asText()).isEqualTo("main");
        assertThat(get("/api/v4/projects/group%2Fproj", "Authorization", "Bearer glpat-reader").statusCode())
                .isEqualTo(200);
        String basic = Base64.getEncoder().encodeToString("gitlab+deploy-token-1:gldt-secret".getBytes());
        assertThat(get("/api/v4/projects/group%2Fproj", "Authorization", "Basic " + basic).statusCode())
                .isEqualTo(200);
    }

    @Test
    void refusalsAreShapedLikeGitLabs() throws Exception {
        HttpResponse<byte[]> none = get("/api/v4/projects/group%2Fproj", null, null);
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(json(none).get("message").asText()).isEqualTo("404 Project Not Found");
        HttpResponse<byte[]> wrong = get("/api/v4/projects/group%2Fproj", "PRIVATE-TOKEN", "glpat-wrong");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(json(wrong).get("message").asText()).isEqualTo("401 Unauthorized");
        HttpResponse<byte[]> scope = get("/api/v4/projects/group%2Fproj", "PRIVATE-TOKEN", "glpat-noscope");
        assertThat(scope.statusCode()).isEqualTo(403);
        assertThat(json(scope).get("error").asText()).isEqualTo("insufficient_scope");
        assertThat(get("/api/v4/projects/group%2Fproj", "PRIVATE-TOKEN", "glpat-stranger").statusCode())
                .isEqualTo(404);
        assertThat(get("/api/v4/version", null, null).statusCode()).isEqualTo(401);
        assertThat(json(get("/api/v4/version", "PRIVATE-TOKEN", "glpat-reader")).get("version").asText())
                .isEqualTo(GitLabStandIn.VERSION);
    }

    @Test
    void tagsArePaginatedAndCarryTheirCommits() throws Exception {
        HttpResponse<byte[]> first = get("/api/v4/projects/group%2Fproj/repository/tags?per_page=2&page=1",
                "PRIVATE-TOKEN", "glpat-reader");
        assertThat(first.headers().firstValue("X-Total")).hasValue("3");
        assertThat(first.headers().firstValue("X-Total-Pages")).hasValue("2");
        assertThat(first.headers().firstValue("X-Next-Page")).hasValue("2");
        HttpResponse<byte[]> second = get("/api/v4/projects/group%2Fproj/repository/tags?per_page=2&page=2",
                "PRIVATE-TOKEN", "glpat-reader");
        List<String> names = new ArrayList<>();
        json(first).forEach(t -> names.add(t.get("name").asText()));
        json(second).forEach(t -> names.add(t.get("name").asText()));
        assertThat(names).containsExactlyInAnyOrder("v1.0.0", "v1.1.0", "sub/v0.1.0");
        HttpResponse<byte[]> sub = get("/api/v4/projects/group%2Fproj/repository/tags?search=%5Esub%2F",
                "PRIVATE-TOKEN", "glpat-reader");
        assertThat(json(sub)).hasSize(1);
        assertThat(json(sub).get(0).get("commit").get("id").asText()).isEqualTo(v1);
    }

    @Test
    void commitsFilesAndArchivesComeFromTheRepository() throws Exception {
        JsonNode commit = json(get("/api/v4/projects/group%2Fproj/repository/commits/v1.0.0", "PRIVATE-TOKEN",
                "glpat-reader"));
        assertThat(commit.get("id").asText()).isEqualTo(v1);
        assertThat(commit.get("committed_date").asText()).isEqualTo("2024-01-02T04:04:05.000+00:00");
        HttpResponse<byte[]> raw = get("/api/v4/projects/group%2Fproj/repository/files/sub%2Fgo.mod/raw?ref=v1.0.0",
                "PRIVATE-TOKEN", "glpat-reader");
        assertThat(new String(raw.body())).isEqualTo("module git.example.test/group/proj/sub\n");
        HttpResponse<byte[]> missing = get("/api/v4/projects/group%2Fproj/repository/files/nope.txt/raw?ref=v1.0.0",
                "PRIVATE-TOKEN", "glpat-reader");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).get("message").asText()).isEqualTo("404 File Not Found");
        HttpResponse<byte[]> zip = get("/api/v4/projects/group%2Fproj/repository/archive.zip?sha=v1.0.0&path=sub",
                "PRIVATE-TOKEN", "glpat-reader");
        List<String> entries = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip.body()))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.add(e.getName());
            }
        }
        String top = "proj-v1.0.0-" + v1 + "-sub/";
        assertThat(entries).contains(top + "sub/go.mod", top + "sub/sub.go").allMatch(e -> e.startsWith(top)).doesNotContain(top + "proj.go", top + "go.mod");
    }

    @Test
    void theGoCommandClonesTheSameRepositoryDirectly() throws Exception {
        Path gitConfig = gitlab.writeGitConfig(temp.resolve("gitconfig"));
        var builder = GoTool.builder(temp.resolve("go"));
        for (Map.Entry<String, String> e : gitlab.goEnvironment(gitConfig).entrySet()) {
            builder.env(e.getKey(), e.getValue());
        }
        List<ModDownload> downloads = builder.build().modDownloadJson("git.example.test/group/proj@v1.0.0");
        assertThat(downloads).hasSize(1);
        assertThat(downloads.get(0).error()).isNull();
        assertThat(downloads.get(0).sum()).startsWith("h1:");
        assertThat(gitlab.requests()).anyMatch(r -> r.contains("/group/proj") && r.contains("go-get=1"));
    }
}
