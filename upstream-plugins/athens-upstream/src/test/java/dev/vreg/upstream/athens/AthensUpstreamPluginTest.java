package dev.vreg.upstream.athens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.vreg.spi.ArtifactRequest;
import dev.vreg.spi.ConnectionReport;
import dev.vreg.spi.Credentials;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamConfig;
import dev.vreg.spi.VregException;
import dev.vreg.testkit.go.Fault;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoproxyFixture;
import dev.vreg.testkit.upstream.Await;
import dev.vreg.testkit.upstream.BodyReader;
import dev.vreg.testkit.upstream.ConformanceArtifacts;
import dev.vreg.testkit.upstream.TestPluginContext;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Athens' download modes, basic auth and health endpoints, against Athens played by GOPROXY fixtures. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AthensUpstreamPluginTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Credentials BASIC = Credentials.basic("athens", "athens-basic-pass-1c5e");
    private static final GoModule MODULE = GoModule.builder("example.com/async/lib", "v1.2.0").build();

    private final AthensUpstreamPlugin plugin = new AthensUpstreamPlugin();
    private final List<UpstreamClient> clients = new ArrayList<>();
    private Vertx vertx;
    private GoproxyFixture athens;
    private GoproxyFixture origin;

    @TempDir
    Path temp;

    @BeforeAll
    void start() {
        vertx = Vertx.vertx();
        athens = GoproxyFixture.start();
        origin = GoproxyFixture.start();
    }

    @BeforeEach
    void reset() {
        athens.reset();
        AthensFixture.healthy(athens).publish(MODULE);
        athens.requireCredentials(BASIC);
        origin.reset();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(UpstreamClient::close);
        clients.clear();
    }

    @AfterAll
    void stop() {
        athens.close();
        origin.close();
        Await.result(vertx.close(), WAIT);
    }

    @Test
    void theSchemaHasTheAsyncRetrySettingsWithTheirDefaults() {
        JsonObject schema = new JsonObject(plugin.settingsSchema());
        assertThat(plugin.kind()).isEqualTo("athens");
        assertThat(schema.getBoolean("additionalProperties")).isFalse();
        JsonObject properties = schema.getJsonObject("properties");
        assertThat(properties.fieldNames()).containsExactlyInAnyOrder("asyncRetries", "asyncRetryDelayMillis");
        assertThat(properties.getJsonObject("asyncRetries").getInteger("default")).isZero();
        assertThat(properties.getJsonObject("asyncRetryDelayMillis").getInteger("default")).isEqualTo(2000);
    }

    @Test
    void settingsOutsideTheirRangesAreInvalid() {
        assertInvalid(new JsonObject().put("asyncRetries", 21), "asyncRetries");
        assertInvalid(new JsonObject().put("asyncRetries", 1.5), "asyncRetries");
        assertInvalid(new JsonObject().put("asyncRetryDelayMillis", 5), "asyncRetryDelayMillis");
        assertInvalid(new JsonObject().put("downloadMode", "async"), "unknown setting");
    }

    @Test
    void inTheAsyncModeAVersionFileAnswered404WhileFetchingIsAskedAgain() throws IOException {
        athens.inject(MODULE.zipPath(), Fault.status(404).times(2));
        UpstreamClient client = client(new JsonObject().put("asyncRetries", 3).put("asyncRetryDelayMillis", 100));
        Path zip = Files.write(temp.resolve("async.zip"), fetch(client, MODULE.zipPath()).getBytes());
        assertThat(dev.vreg.go.hash.DirHash.hashZip(zip)).isEqualTo(MODULE.zipHash());
        assertThat(athens.requestCount(MODULE.zipPath())).isEqualTo(3);
    }

    @Test
    void withoutRetriesOrWhenTheyRunOutThe404IsTheAnswer() {
        athens.inject(MODULE.modPath(), Fault.status(404).always());
        VregException once = failure(client(new JsonObject()), MODULE.modPath());
        assertThat(once.kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(athens.requestCount(MODULE.modPath())).isEqualTo(1);

        athens.resetCounters();
        VregException twice = failure(client(new JsonObject().put("asyncRetries", 1)
                .put("asyncRetryDelayMillis", 100)), MODULE.modPath());
        assertThat(twice.kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(twice.getMessage()).contains("asked 2 times");
        assertThat(athens.requestCount(MODULE.modPath())).isEqualTo(2);
    }

    @Test
    void listsAreNeverRetried() {
        athens.inject(MODULE.listPath(), Fault.status(404).once());
        VregException e = failure(client(new JsonObject().put("asyncRetries", 5).put("asyncRetryDelayMillis", 100)),
                MODULE.listPath());
        assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(athens.requestCount(MODULE.listPath())).isEqualTo(1);
    }

    @Test
    void inTheRedirectModesTheRedirectIsFollowedWithoutTheCredentials() {
        origin.publish(MODULE);
        athens.redirect(MODULE.zipPath(), 301, origin.baseUrl() + MODULE.zipPath().substring(1));
        athens.redirect(MODULE.modPath(), 303, origin.baseUrl() + MODULE.modPath().substring(1));
        UpstreamClient client = client(new JsonObject());
        assertThat(fetch(client, MODULE.modPath()).getBytes()).isEqualTo(MODULE.modBytes());
        assertThat(fetch(client, MODULE.zipPath()).length()).isPositive();
        assertThat(origin.requestCount(MODULE.zipPath())).isEqualTo(1);
        assertThat(origin.receivedAuthorizations()).isNotEmpty().allMatch(String::isEmpty);
        assertThat(athens.receivedAuthorizations()).isNotEmpty().allMatch(h -> h.startsWith("Basic "));
    }

    @Test
    void aHealthyReadyAthensPassesTheConnectionTestWithItsCatalog() {
        ConnectionReport report = test(client(new JsonObject()));
        assertThat(report.ok()).as(report.message()).isTrue();
        assertThat(report.message()).contains("is up and ready and accepted the configured credentials")
                .contains("its catalog lists stored modules").doesNotContain(BASIC.password());
        assertThat(athens.requestedPaths()).containsSubsequence("healthz", "readyz", "catalog");
    }

    @Test
    void storageWithoutACatalogIsToldNotFailed() {
        athens.answer("catalog", 501);
        ConnectionReport report = test(client(new JsonObject()));
        assertThat(report.ok()).isTrue();
        assertThat(report.message()).contains("keeps no catalog");
    }

    @Test
    void anAthensThatIsNotReadyFailsTheConnectionTest() {
        athens.answer("readyz", 500);
        ConnectionReport report = test(client(new JsonObject()));
        assertThat(report.ok()).isFalse();
        assertThat(report.reachable()).isTrue();
        assertThat(report.message()).contains("not ready (/readyz answered 500)").contains("storage");
    }

    @Test
    void aUrlWithoutAthensSaysWhatTheUrlMustBe() {
        athens.answer("healthz", 404);
        ConnectionReport report = test(client(new JsonObject()));
        assertThat(report.ok()).isFalse();
        assertThat(report.message()).contains("There is no Athens at").contains("path prefix");
    }

    @Test
    void wrongBasicAuthIsReportedWithoutTheSecret() {
        Credentials wrong = Credentials.basic("athens", "not-the-pass-77");
        UpstreamClient client = track(plugin.open(new UpstreamConfig("u", "athens", athens.baseUrl(), wrong,
                new JsonObject(), null, Duration.ofSeconds(5)), new TestPluginContext(vertx)));
        ConnectionReport report = test(client);
        assertThat(report.authenticated()).isFalse();
        assertThat(report.message()).contains("ATHENS_BASIC_AUTH_USER").doesNotContain("not-the-pass-77");
        assertThat(failure(client, MODULE.modPath()).kind()).isEqualTo(ErrorKind.UNAUTHORIZED);
    }

    private UpstreamClient client(JsonObject settings) {
        return track(plugin.open(new UpstreamConfig("u", "athens", athens.baseUrl(), BASIC, settings, null,
                Duration.ofSeconds(5)), new TestPluginContext(vertx)));
    }

    private UpstreamClient track(UpstreamClient client) {
        clients.add(client);
        return client;
    }

    private static ConnectionReport test(UpstreamClient client) {
        return Await.result(client.testConnection(), WAIT);
    }

    private static Buffer fetch(UpstreamClient client, String path) {
        return Await.result(client.fetch(ArtifactRequest.of(ConformanceArtifacts.ref(path.substring(1))))
                .compose(BodyReader::readAll), WAIT);
    }

    private static VregException failure(UpstreamClient client, String path) {
        return (VregException) Await.failure(client.fetch(ArtifactRequest.of(ConformanceArtifacts.ref(
                path.substring(1)))), WAIT);
    }

    private void assertInvalid(JsonObject settings, String mentioning) {
        Throwable thrown = catchThrowable(() -> plugin.open(new UpstreamConfig("u", "athens", athens.baseUrl(), null,
                settings, null, null), new TestPluginContext(vertx)));
        assertThat(thrown).isInstanceOf(VregException.class).hasMessageContaining(mentioning);
        assertThat(((VregException) thrown).kind()).isEqualTo(ErrorKind.INVALID);
    }
}
