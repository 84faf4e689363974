package dev.vreg.upstream.gitlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vreg.spi.Credentials;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.UpstreamConfig;
import dev.vreg.spi.VregException;
import dev.vreg.testkit.upstream.TestPluginContext;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GitlabUpstreamPluginTest {

    private final GitlabUpstreamPlugin plugin = new GitlabUpstreamPlugin();
    private final Vertx vertx = Vertx.vertx();

    @AfterAll
    void close() {
        vertx.close();
    }

    @Test
    void describesItselfAsTheGitlabKindForGo() {
        assertThat(plugin.kind()).isEqualTo("gitlab");
        assertThat(plugin.formats()).containsExactly("go");
    }

    @Test
    void settingsSchemaIsAClosedDraft2020Object() {
        JsonObject schema = new JsonObject(plugin.settingsSchema());
        assertThat(schema.getString("$schema")).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.getBoolean("additionalProperties")).isFalse();
        assertThat(schema.getJsonObject("properties").fieldNames())
                .containsExactlyInAnyOrder("modulePaths", "probeProject", "tokenAs");
        JsonObject hint = schema.getJsonObject("properties").getJsonObject("modulePaths").getJsonObject("items");
        assertThat(hint.getJsonArray("required").getList()).containsExactly("prefix");
        assertThat(hint.getBoolean("additionalProperties")).isFalse();
    }

    @Test
    void opensOnlyItsOwnKindAndPlainInstanceUrls() {
        assertThat(kindOf(catchThrowable(() -> open("goproxy", "https://gitlab.example.com")))).isEqualTo(ErrorKind.INVALID);
        assertThat(kindOf(catchThrowable(() -> open("gitlab", "ftp://gitlab.example.com")))).isEqualTo(ErrorKind.INVALID);
        Throwable userInfo = catchThrowable(() -> open("gitlab", "https://me:secret@gitlab.example.com"));
        assertThat(kindOf(userInfo)).isEqualTo(ErrorKind.INVALID);
        assertThat(userInfo.getMessage()).doesNotContain("secret");
        Throwable badToken = catchThrowable(() -> plugin.open(config("gitlab", "https://gitlab.example.com",
                Credentials.token("glpat-line\nbreak")), new TestPluginContext(vertx)));
        assertThat(kindOf(badToken)).isEqualTo(ErrorKind.INVALID);
        assertThat(badToken.getMessage()).doesNotContain("glpat-line");
        open("gitlab", "https://gitlab.example.com/gitlab").close();
    }

    @Test
    void hintsAreTriedLongestPrefixFirstAndDefaultToTheInstanceHost() {
        GitlabSettings settings = GitlabSettings.from(new JsonObject().put("modulePaths", new JsonArray()
                .add(new JsonObject().put("prefix", "go.example.com"))
                .add(new JsonObject().put("prefix", "go.example.com/platform/tools").put("namespace", "tooling"))),
                URI.create("https://gitlab.example.com"));
        assertThat(settings.hints()).extracting(ModulePathHint::prefix)
                .containsExactly("go.example.com/platform/tools", "go.example.com");
        assertThat(settings.hints().get(1).namespace()).isEmpty();
        ModulePathHint tools = settings.hints().get(0);
        assertThat(tools.remainder("go.example.com/platform/tools/lint/v2")).contains("lint/v2");
        assertThat(tools.remainder("go.example.com/platform/toolsmith")).isEmpty();
        assertThat(tools.projectPath("lint")).isEqualTo("tooling/lint");
        GitlabSettings defaults = GitlabSettings.from(new JsonObject(), URI.create("https://gitlab.example.com:8443"));
        assertThat(defaults.hints()).containsExactly(new ModulePathHint("gitlab.example.com", ""));
        assertThat(GitlabSettings.from(new JsonObject().put("modulePaths", new JsonArray()
                .add(new JsonObject().put("prefix", "gitlab.example.com/platform/go"))), URI.create("https://x"))
                .hints()).isEqualTo(List.of(new ModulePathHint("gitlab.example.com/platform/go", "platform/go")));
    }

    private dev.vreg.spi.UpstreamClient open(String kind, String url) {
        return plugin.open(config(kind, url, null), new TestPluginContext(vertx));
    }

    private static UpstreamConfig config(String kind, String url, Credentials credentials) {
        return new UpstreamConfig("u1", kind, URI.create(url), credentials, new JsonObject(), Duration.ofSeconds(5),
                Duration.ofSeconds(5));
    }

    private static ErrorKind kindOf(Throwable t) {
        return t instanceof VregException v ? v.kind() : null;
    }
}
