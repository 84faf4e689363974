package dev.vreg.upstream.artifactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.ArtifactRequest;
import dev.vreg.spi.AssetKind;
import dev.vreg.spi.ConnectionReport;
import dev.vreg.spi.Credentials;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamConfig;
import dev.vreg.spi.VregException;
import dev.vreg.testkit.upstream.Await;
import dev.vreg.testkit.upstream.TestPluginContext;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The artifactory kind's settings, URLs and connection test messages, against Artifactory played by WireMock. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArtifactoryUpstreamPluginTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Credentials TOKEN = Credentials.token("eyJ2ZXIiOiIyIn0.access-token-5f0c2e");

    private final ArtifactoryUpstreamPlugin plugin = new ArtifactoryUpstreamPlugin();
    private final List<UpstreamClient> clients = new ArrayList<>();
    private Vertx vertx;
    private ArtifactoryFixture artifactory;

    @BeforeAll
    void start() {
        vertx = Vertx.vertx();
        artifactory = ArtifactoryFixture.start();
    }

    @BeforeEach
    void resetArtifactory() {
        artifactory.reset();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(UpstreamClient::close);
        clients.clear();
    }

    @AfterAll
    void stop() {
        artifactory.close();
        Await.result(vertx.close(), WAIT);
    }

    @Test
    void theSchemaRequiresARepositoryKeyAndNothingElse() {
        JsonObject schema = new JsonObject(plugin.settingsSchema());
        assertThat(plugin.kind()).isEqualTo("artifactory");
        assertThat(plugin.formats()).containsExactly("go");
        assertThat(schema.getString("$schema")).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.getBoolean("additionalProperties")).isFalse();
        assertThat(schema.getJsonArray("required").getList()).containsExactly("repository");
        assertThat(schema.getJsonObject("properties").fieldNames()).containsExactly("repository");
        Pattern key = Pattern.compile(schema.getJsonObject("properties").getJsonObject("repository")
                .getString("pattern"));
        assertThat(List.of("go-virtual", "go.remote_1", "Go")).allMatch(k -> key.matcher(k).find());
        assertThat(List.of("-go", "go/virtual", "go virtual", "")).noneMatch(k -> key.matcher(k).find());
    }

    @Test
    void thePlatformAddressAndArtifactorysOwnLeadToTheSameGoApi() {
        assertThat(ArtifactoryLocation.of(URI.create("https://acme.jfrog.io"), "go").goApi())
                .isEqualTo(URI.create("https://acme.jfrog.io/artifactory/api/go/go"));
        assertThat(ArtifactoryLocation.of(URI.create("https://acme.jfrog.io/artifactory/"), "go").goApi())
                .isEqualTo(URI.create("https://acme.jfrog.io/artifactory/api/go/go"));
        assertThat(ArtifactoryLocation.of(URI.create("http://10.0.0.5:8082/artifactory"), "go-virtual").ping())
                .isEqualTo(URI.create("http://10.0.0.5:8082/artifactory/api/system/ping"));
        assertThat(ArtifactoryLocation.of(URI.create("https://acme.jfrog.io"), "go-virtual").configuration())
                .isEqualTo(URI.create("https://acme.jfrog.io/artifactory/api/repositories/go-virtual"));
    }

    @Test
    void configurationsThatCannotWorkAreInvalidAndOpenNothing() {
        URI url = artifactory.baseUrl();
        assertInvalid(config(url, null, new JsonObject()), "'repository' is required");
        assertInvalid(config(url, null, settings("go/virtual")), "repository key");
        assertInvalid(config(url, null, settings("go-virtual").put("packageType", "go")), "unknown setting");
        assertInvalid(config(URI.create(url + "/artifactory/api/go/go-virtual"), null, settings("go-virtual")),
                "without /api/go");
        assertInvalid(config(URI.create("ftp://127.0.0.1/"), null, settings("go-virtual")), "http");
        VregException secret = assertInvalid(config(URI.create("https://bot:pw-331@acme.jfrog.io"), null,
                settings("go-virtual")), "credentials");
        assertThat(secret.getMessage()).doesNotContain("pw-331");
        assertInvalid(new UpstreamConfig("u", "goproxy", url, null, settings("go-virtual"), null, null), "kind");
    }

    @Test
    void aWorkingRepositoryPassesTheConnectionTest() {
        artifactory.requireCredentials(TOKEN);
        ConnectionReport report = test(client(artifactory.baseUrl(), TOKEN, ArtifactoryFixture.REPOSITORY));
        assertThat(report.ok()).as(report.message()).isTrue();
        assertThat(report.message()).contains("repository 'go-virtual' is a virtual Go repository")
                .contains("with the configured credentials").doesNotContain(TOKEN.token());
        assertThat(artifactory.receivedTargets()).containsSubsequence("/artifactory/api/system/ping",
                "/artifactory/api/repositories/go-virtual", "/artifactory/api/go/go-virtual/vreg.invalid/probe/@v/list");
    }

    @Test
    void aRepositoryOfAnotherPackageTypeIsNamedAsSuch() {
        ConnectionReport report = test(client(artifactory.baseUrl(), TOKEN, ArtifactoryFixture.MAVEN_REPOSITORY));
        assertThat(report.ok()).isFalse();
        assertThat(report.reachable()).isTrue();
        assertThat(report.message()).contains("'libs-release-local' is a maven repository (local), not a Go repository");
    }

    @Test
    void anUnknownRepositoryKeyIsToldToBeChecked() {
        ConnectionReport report = test(client(artifactory.baseUrl(), TOKEN, "go-virtaul"));
        assertThat(report.ok()).isFalse();
        assertThat(report.message()).contains("no repository 'go-virtaul'").contains("case-sensitive");
    }

    @Test
    void aRefusedTokenIsReportedWithoutRepeatingIt() {
        artifactory.requireCredentials(TOKEN);
        Credentials wrong = Credentials.token("expired-token-0b9d11");
        ConnectionReport report = test(client(artifactory.baseUrl(), wrong, ArtifactoryFixture.REPOSITORY));
        assertThat(report.reachable()).isTrue();
        assertThat(report.authenticated()).isFalse();
        assertThat(report.message()).contains("refused the configured credentials (401)")
                .contains("access token").doesNotContain(wrong.token());

        ConnectionReport anonymous = test(client(artifactory.baseUrl(), null, ArtifactoryFixture.REPOSITORY));
        assertThat(anonymous.authenticated()).isFalse();
        assertThat(anonymous.message()).contains("needs credentials");
    }

    @Test
    void aUrlThatIsNoArtifactorySaysWhatTheUrlMustBe() {
        artifactory.answer("/artifactory/api/system/ping", 404);
        ConnectionReport report = test(client(artifactory.baseUrl(), TOKEN, ArtifactoryFixture.REPOSITORY));
        assertThat(report.ok()).isFalse();
        assertThat(report.message()).contains("There is no Artifactory at").contains("/artifactory");
    }

    @Test
    void aRepositoryTheTokenMayNotReadFailsAtItsGoApi() {
        artifactory.answer("/artifactory/api/go/go-virtual/vreg.invalid/probe/@v/list", 403);
        ConnectionReport report = test(client(artifactory.baseUrl(), TOKEN, ArtifactoryFixture.REPOSITORY));
        assertThat(report.ok()).isFalse();
        assertThat(report.message()).contains("Go repository, but its Go API failed the probe request")
                .contains("403");
    }

    @Test
    void checksumDatabaseRequestsGoThroughTheRepositorysGoApi() {
        UpstreamClient client = client(artifactory.baseUrl(), TOKEN, ArtifactoryFixture.REPOSITORY);
        Throwable missing = Await.failure(client.fetch(ArtifactRequest.of(new ArtifactRef(
                "sumdb/sum.golang.org/supported", AssetKind.METADATA, "sum.golang.org", null, "supported"))), WAIT);
        assertThat(((VregException) missing).kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(artifactory.receivedTargets())
                .contains("/artifactory/api/go/go-virtual/sumdb/sum.golang.org/supported");
    }

    private ConnectionReport test(UpstreamClient client) {
        return Await.result(client.testConnection(), WAIT);
    }

    private UpstreamClient client(URI url, Credentials credentials, String repository) {
        UpstreamClient client = plugin.open(config(url, credentials, settings(repository)), new TestPluginContext(vertx));
        clients.add(client);
        return client;
    }

    private VregException assertInvalid(UpstreamConfig config, String mentioning) {
        TestPluginContext context = new TestPluginContext(vertx);
        Throwable thrown = catchThrowable(() -> plugin.open(config, context));
        assertThat(thrown).isInstanceOf(VregException.class);
        VregException error = (VregException) thrown;
        assertThat(error.kind()).isEqualTo(ErrorKind.INVALID);
        assertThat(error.getMessage()).contains(mentioning);
        assertThat(context.httpClientsCreated()).isZero();
        return error;
    }

    private static JsonObject settings(String repository) {
        return new JsonObject().put("repository", repository);
    }

    private static UpstreamConfig config(URI url, Credentials credentials, JsonObject settings) {
        return new UpstreamConfig("u", "artifactory", url, credentials, settings, null, Duration.ofSeconds(5));
    }
}
