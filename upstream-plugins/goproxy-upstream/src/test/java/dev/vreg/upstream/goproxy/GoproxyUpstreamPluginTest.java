package dev.vreg.upstream.goproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vreg.spi.Credentials;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.UpstreamConfig;
import dev.vreg.spi.VregException;
import dev.vreg.testkit.go.GoproxyFixture;
import dev.vreg.testkit.upstream.Await;
import dev.vreg.testkit.upstream.TestPluginContext;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GoproxyUpstreamPluginTest {

    private static final Credentials BASIC = Credentials.basic("builder", "basic-secret-4d1a77");

    private final GoproxyUpstreamPlugin plugin = new GoproxyUpstreamPlugin();
    private Vertx vertx;
    private GoproxyFixture fixture;

    @BeforeAll
    void startFixture() {
        vertx = Vertx.vertx();
        fixture = GoproxyFixture.start();
    }

    @AfterAll
    void stopFixture() {
        fixture.close();
        Await.result(vertx.close(), Duration.ofSeconds(20));
    }

    @Test
    void describesItselfAsTheGoproxyKindForGo() {
        assertThat(plugin.kind()).isEqualTo("goproxy");
        assertThat(plugin.formats()).containsExactly("go");
        assertThat(GoproxyUpstreamPlugin.PROXY_GOLANG_ORG).isEqualTo(URI.create("https://proxy.golang.org"));
    }

    @Test
    void settingsSchemaIsAClosedDraft2020ObjectWithOnlyTheProbePath() {
        JsonObject schema = new JsonObject(plugin.settingsSchema());
        assertThat(schema.getString("$schema")).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.getString("type")).isEqualTo("object");
        assertThat(schema.getBoolean("additionalProperties")).isFalse();
        assertThat(schema.getJsonObject("properties").fieldNames()).containsExactly("probePath");
        JsonObject probePath = schema.getJsonObject("properties").getJsonObject("probePath");
        assertThat(probePath.getString("default")).isEqualTo(GoproxySettings.DEFAULT_PROBE_PATH);

        Pattern pattern = Pattern.compile(probePath.getString("pattern"));
        assertThat(List.of(GoproxySettings.DEFAULT_PROBE_PATH, "golang.org/x/text/@v/list", "a"))
                .allMatch(path -> pattern.matcher(path).find());
        assertThat(List.of("/abs/@v/list", "a/@v/list?x=1", "a/", "a b/@v/list", ""))
                .noneMatch(path -> pattern.matcher(path).find());
    }

    @Test
    void theProxyGolangOrgPresetOpensWithoutAnyIo() {
        TestPluginContext context = new TestPluginContext(vertx);
        plugin.open(config(GoproxyUpstreamPlugin.PROXY_GOLANG_ORG, null, new JsonObject()), context).close();
        assertThat(context.httpClientsCreated()).isEqualTo(1);
    }

    @Test
    void openingCreatesOneHttpClientAndSendsNothing() {
        TestPluginContext context = new TestPluginContext(vertx);
        plugin.open(config(fixture.baseUrl(), BASIC, new JsonObject()), context).close();
        assertThat(context.httpClientsCreated()).isEqualTo(1);
        assertThat(fixture.receivedTargets()).isEmpty();
    }

    @Test
    void configurationsThatCannotWorkAreInvalid() {
        URI url = fixture.baseUrl();
        assertInvalid(new UpstreamConfig("u", "athens", url, null, null, null, null), "kind");
        assertInvalid(config(url, null, new JsonObject().put("mode", "fast")), "unknown setting 'mode'");
        assertInvalid(config(url, null, new JsonObject().put("probePath", 42)), "probePath");
        assertInvalid(config(url, null, new JsonObject().put("probePath", "a/../b")), "probePath");
        assertInvalid(config(url, null, new JsonObject().put("probePath", "a/@v/list?x")), "probePath");
        assertInvalid(config(URI.create("ftp://127.0.0.1/"), null, new JsonObject()), "http");
        assertInvalid(new UpstreamConfig("u", "goproxy", url, null, null, Duration.ZERO, null), "connect timeout");
    }

    @Test
    void credentialsThatCannotTravelInAHeaderAreInvalidWithoutBeingEchoed() {
        URI url = fixture.baseUrl();
        VregException token = assertInvalid(config(url, Credentials.token("abc\r\nX-Evil: 1"), new JsonObject()),
                "token");
        assertThat(token.getMessage()).doesNotContain("abc").doesNotContain("Evil");
        VregException user = assertInvalid(config(url, Credentials.basic("a:b", "pw-77"), new JsonObject()),
                "user name");
        assertThat(user.getMessage()).doesNotContain("pw-77").doesNotContain("a:b");
        assertInvalid(config(url, Credentials.token(" "), new JsonObject()), "token");
    }

    private VregException assertInvalid(UpstreamConfig config, String mentioning) {
        TestPluginContext context = new TestPluginContext(vertx);
        Throwable thrown = catchThrowable(() -> plugin.open(config, context));
        assertThat(thrown).isInstanceOf(VregException.class);
        VregException error = (VregException) thrown;
        assertThat(error.kind()).isEqualTo(ErrorKind.INVALID);
        assertThat(error.getMessage()).contains(mentioning);
        assertThat(context.httpClientsCreated()).as("no client is created for an invalid configuration").isZero();
        return error;
    }

    private static UpstreamConfig config(URI url, Credentials credentials, JsonObject settings) {
        return new UpstreamConfig("u", "goproxy", url, credentials, settings, null, null);
    }
}
