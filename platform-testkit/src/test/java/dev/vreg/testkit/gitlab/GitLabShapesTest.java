package dev.vreg.testkit.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stand-in's answers have the fields, nesting and JSON types of GitLab's documented answers (test resources
 * under {@code gitlab-api/}), status by status.
 */
class GitLabShapesTest {

    private static final String TOKEN = "glpat-shapes-000111";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path temp;

    static GitLabStandIn gitlab;
    static String first;
    static String second;

    @BeforeAll
    static void start() {
        GitRepository repo = GitRepository.init(temp.resolve("proj"));
        repo.write("go.mod", "module git.example.test/group/proj\n");
        first = repo.commit("first");
        repo.tag("v1.0.0");
        repo.write("a.go", "package proj\n");
        second = repo.commit("second");
        repo.annotatedTag("v1.1.0", "release");
        repo.tag("v1.2.0");
        gitlab = GitLabStandIn.start();
        gitlab.project("group/proj", repo, false);
        gitlab.personalToken(TOKEN, Set.of("read_api"), "group");
        gitlab.personalToken("glpat-noscope", Set.of("read_user"), "group");
    }

    @AfterAll
    static void stop() {
        gitlab.close();
    }

    @Test
    void successfulAnswersHaveTheDocumentedShapes() throws Exception {
        assertShape("version.json", get("/api/v4/version", TOKEN), 200);
        assertShape("project.json", get("/api/v4/projects/group%2Fproj", TOKEN), 200);
        assertShape("commit.json", get("/api/v4/projects/group%2Fproj/repository/commits/" + second, TOKEN), 200);
        assertShape("merge_base.json", get("/api/v4/projects/group%2Fproj/repository/merge_base?refs%5B%5D="
                + first + "&refs%5B%5D=" + second, TOKEN), 200);
        HttpResponse<String> tags = get("/api/v4/projects/group%2Fproj/repository/tags?per_page=2", TOKEN);
        assertShape("tags.json", tags, 200);
        for (String header : resource("tags.headers").split("\n")) {
            assertThat(tags.headers().firstValue(header)).as(header).isPresent();
        }
        assertThat(tags.headers().firstValue("Link")).hasValueSatisfying(link -> assertThat(link)
                .contains("page=2", "rel=\"next\""));
    }

    @Test
    void refusalsHaveTheDocumentedBodies() throws Exception {
        assertShape("error-401.json", get("/api/v4/projects/group%2Fproj", "glpat-nobody"), 401);
        assertShape("error-403-scope.json", get("/api/v4/projects/group%2Fproj", "glpat-noscope"), 403);
        assertShape("error-404-project.json", get("/api/v4/projects/group%2Fnope", TOKEN), 404);
        assertShape("error-404-file.json",
                get("/api/v4/projects/group%2Fproj/repository/files/nope%2Ego/raw?ref=main", TOKEN), 404);
        assertShape("error-404-commit.json",
                get("/api/v4/projects/group%2Fproj/repository/commits/0000000000", TOKEN), 404);
        // Error messages are GitLab's own words, not only its field names.
        assertThat(JSON.readTree(get("/api/v4/projects/group%2Fnope", TOKEN).body()))
                .isEqualTo(JSON.readTree(resource("error-404-project.json")));
    }

    private static void assertShape(String documented, HttpResponse<String> answer, int status) throws IOException {
        assertThat(answer.statusCode()).as(answer.uri() + ": " + answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("application/json"));
        assertSameShape(documented, JSON.readTree(resource(documented)), JSON.readTree(answer.body()));
    }

    /** Every field of {@code expected} is in {@code actual} with the same JSON type, recursively; null fits all. */
    private static void assertSameShape(String where, JsonNode expected, JsonNode actual) {
        if (expected.isNull() || actual.isNull()) {
            return;
        }
        assertThat(actual.getNodeType()).as(where).isEqualTo(expected.getNodeType());
        if (expected.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                assertThat(actual.has(field.getKey())).as(where + "." + field.getKey()).isTrue();
                assertSameShape(where + "." + field.getKey(), field.getValue(), actual.get(field.getKey()));
            }
        } else if (expected.isArray() && !expected.isEmpty()) {
            assertThat(actual).as(where).isNotEmpty();
            for (JsonNode element : actual) {
                assertSameShape(where + "[]", expected.get(0), element);
            }
        }
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gitlab.baseUrl() + path))
                .header("PRIVATE-TOKEN", token).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = GitLabShapesTest.class.getResourceAsStream("/gitlab-api/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
