package dev.vreg.testkit.upstream;

import static dev.vreg.testkit.upstream.ConformanceChecks.assertNoSecrets;
import static dev.vreg.testkit.upstream.ConformanceChecks.timed;
import static dev.vreg.testkit.upstream.ConformanceChecks.withRefusingPort;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.go.hash.DirHash;
import dev.vreg.spi.ArtifactRequest;
import dev.vreg.spi.ConnectionReport;
import dev.vreg.spi.Credentials;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamConfig;
import dev.vreg.spi.VregException;
import dev.vreg.testkit.go.GoModule;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance suite every upstream kind runs at the level the go command sees: real module versions published
 * into the kind's own server ({@link ModuleSource}), then fetched through the plugin's client. The version list names
 * them, {@code .info} and {@code .mod} are theirs, the {@code .zip} streams and hashes to the {@code h1:} the go
 * command computes for the module's files, the same on every fetch; unknown modules and versions are not found;
 * server errors, refusals and rejected credentials are reported with the right {@link ErrorKind} and never repeat a
 * credential; an upstream that accepts connections and never answers times out, and one that refuses them is
 * unavailable. GOPROXY-speaking kinds run {@link UpstreamClientConformance} too, for the byte-level rules.
 *
 * <p>Extend it with {@link #kind()}, {@link #startSource()} and {@link #openClient}; override
 * {@link #modulePrefix()} when the kind serves only some module paths, {@link #settings()} for its settings and
 * {@link #validCredentials()} for the credentials it understands.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class UpstreamModuleConformance {

    /** The read timeout every client of the suite is opened with. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(1);

    /** How long a test waits for any single outcome before it fails. */
    public static final Duration WAIT = Duration.ofSeconds(30);

    private final List<UpstreamClient> clients = new ArrayList<>();
    private ModuleSource source;
    private GoModule first;
    private GoModule second;

    @TempDir
    Path temp;

    /** The kind id of the plugin under test. */
    protected abstract String kind();

    /** Starts the kind's server on a loopback address. Called once, before the first test. */
    protected abstract ModuleSource startSource() throws Exception;

    /** Opens the plugin's client for {@code config}. Must not perform I/O. */
    protected abstract UpstreamClient openClient(UpstreamConfig config);

    /** The module path prefix the published module lives under; its path is {@code <prefix>/lib}. */
    protected String modulePrefix() {
        return "example.com/conformance";
    }

    /** The kind's settings, passed in every configuration. */
    protected JsonObject settings() {
        return new JsonObject();
    }

    /** The credentials clients are opened with; the source accepts them when it requires any. */
    protected Credentials validCredentials() {
        return Credentials.token("module-conformance-token-41d2c7");
    }

    /** Credentials of the same type as {@link #validCredentials()} that the source rejects. */
    protected Credentials wrongCredentials() {
        Credentials valid = validCredentials();
        return valid.hasToken()
                ? Credentials.token("module-conformance-wrong-9e03aa")
                : Credentials.basic(valid.username(), "module-conformance-wrong-9e03aa");
    }

    @BeforeAll
    protected final void startModuleSource() throws Exception {
        source = startSource();
        String path = modulePrefix() + "/lib";
        first = GoModule.builder(path, "v1.0.0").time(Instant.parse("2024-03-01T09:00:00Z"))
                .file("LICENSE", "conformance licence\n").build();
        second = GoModule.builder(path, "v1.1.0").time(Instant.parse("2024-04-02T10:30:00Z"))
                .file("LICENSE", "conformance licence\n").goPackage("util").build();
    }

    @BeforeEach
    protected final void publishModule() {
        source.reset();
        source.publish(first, second);
    }

    @AfterEach
    protected final void closeModuleClients() {
        clients.forEach(UpstreamClient::close);
        clients.clear();
    }

    @AfterAll
    protected final void stopModuleSource() {
        if (source != null) {
            source.close();
        }
    }

    /** The running source. */
    protected final ModuleSource source() {
        return source;
    }

    /** The newer of the two published versions. */
    protected final GoModule published() {
        return second;
    }

    /** A client of the source with {@link #validCredentials()}; closed after the test. */
    protected final UpstreamClient client() {
        return client(source.baseUrl(), validCredentials());
    }

    /** A client of {@code url} with {@code credentials}; closed after the test. */
    protected final UpstreamClient client(URI url, Credentials credentials) {
        UpstreamClient client = openClient(new UpstreamConfig("module-conformance-" + kind(), kind(), url,
                credentials, settings(), Duration.ofSeconds(5), READ_TIMEOUT));
        clients.add(client);
        return client;
    }

    /** Fetches the bang-escaped GOPROXY {@code path} and reads the whole body. */
    protected static Buffer fetch(UpstreamClient client, String path) {
        return Await.result(client.fetch(ArtifactRequest.of(ConformanceArtifacts.ref(strip(path))))
                .compose(BodyReader::readAll), WAIT);
    }

    /** The failure of fetching {@code path}. */
    protected static VregException failure(UpstreamClient client, String path) {
        Throwable failure = Await.failure(client.fetch(ArtifactRequest.of(ConformanceArtifacts.ref(strip(path))))
                .compose(BodyReader::readAll), WAIT);
        assertThat(failure).isInstanceOf(VregException.class);
        return (VregException) failure;
    }

    @Test
    void theVersionListNamesEveryPublishedVersion() {
        String list = fetch(client(), second.listPath()).toString(StandardCharsets.UTF_8);
        List<String> versions = Arrays.stream(list.split("\n")).map(String::strip).filter(l -> !l.isEmpty())
                .map(l -> l.split("\\s+")[0]).sorted().toList();
        assertThat(versions).containsExactly("v1.0.0", "v1.1.0");
    }

    @Test
    void infoNamesTheVersionAndItsTime() {
        JsonObject info = new JsonObject(fetch(client(), second.infoPath()));
        assertThat(info.getString("Version")).isEqualTo("v1.1.0");
        assertThat(Instant.parse(info.getString("Time"))).isEqualTo(second.time());
    }

    @Test
    void modIsTheVersionsGoMod() {
        assertThat(fetch(client(), first.modPath()).getBytes()).isEqualTo(first.modBytes());
        assertThat(fetch(client(), second.modPath()).getBytes()).isEqualTo(second.modBytes());
    }

    @Test
    void zipHashesAsTheGoCommandsOwnOnEveryFetch() throws IOException {
        UpstreamClient client = client();
        for (int round = 0; round < 2; round++) {
            Path zip = Files.write(temp.resolve("fetched-" + round + ".zip"),
                    fetch(client, second.zipPath()).getBytes());
            assertThat(DirHash.hashZip(zip)).as("h1 of fetch %d", round).isEqualTo(second.zipHash());
        }
        Path older = Files.write(temp.resolve("older.zip"), fetch(client, first.zipPath()).getBytes());
        assertThat(DirHash.hashZip(older)).isEqualTo(first.zipHash());
    }

    @Test
    void anUnknownModuleIsNotFound() {
        VregException e = failure(client(), modulePrefix() + "/missing/@v/list");
        assertThat(e.kind()).as(e.getMessage()).isIn(ErrorKind.NOT_FOUND, ErrorKind.GONE);
        assertNoSecrets(e, secrets());
    }

    @Test
    void anUnknownVersionIsNotFound() {
        String path = second.infoPath().replace("v1.1.0", "v1.9.0");
        VregException e = failure(client(), path);
        assertThat(e.kind()).as(e.getMessage()).isIn(ErrorKind.NOT_FOUND, ErrorKind.GONE);
        assertNoSecrets(e, secrets());
    }

    @Test
    void serverErrorsMakeTheUpstreamUnavailable() {
        source.answerEverythingWith(500);
        VregException e = failure(client(), second.modPath());
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
        assertNoSecrets(e, secrets());
        source.answerEverythingWith(0);
        assertThat(fetch(client(), second.modPath()).getBytes()).isEqualTo(second.modBytes());
    }

    @Test
    void aRefusalIsForbidden() {
        source.answerEverythingWith(403);
        VregException e = failure(client(), second.zipPath());
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.FORBIDDEN);
        assertNoSecrets(e, secrets());
    }

    @Test
    void rejectedCredentialsAreUnauthorizedAndNeverRepeated() {
        source.requireCredentials(validCredentials());
        UpstreamClient wrong = client(source.baseUrl(), wrongCredentials());
        VregException e = failure(wrong, second.modPath());
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.UNAUTHORIZED);
        assertNoSecrets(e, secrets());

        ConnectionReport report = Await.result(wrong.testConnection(), WAIT);
        assertThat(report.ok()).as(report.message()).isFalse();
        assertThat(report.reachable()).isTrue();
        assertThat(report.authenticated()).isFalse();
        assertNoSecrets(report.message(), secrets());

        assertThat(fetch(client(), second.modPath()).getBytes()).isEqualTo(second.modBytes());
        ConnectionReport good = Await.result(client().testConnection(), WAIT);
        assertThat(good.ok()).as(good.message()).isTrue();
        assertNoSecrets(good.message(), secrets());
    }

    @Test
    void anUpstreamThatNeverAnswersTimesOut() {
        try (BlackHole hole = new BlackHole()) {
            UpstreamClient client = client(hole.in(source.baseUrl()), validCredentials());
            Duration took = timed(() -> {
                VregException e = failure(client, second.modPath());
                assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.UPSTREAM_TIMEOUT);
                assertNoSecrets(e, secrets());
            });
            assertThat(took).isBetween(READ_TIMEOUT.multipliedBy(9).dividedBy(10), READ_TIMEOUT.plusSeconds(4));
        }
    }

    @Test
    void aRefusedConnectionIsUnavailableAndReportedUnreachable() {
        UpstreamClient client = client(withRefusingPort(source.baseUrl()), validCredentials());
        VregException e = failure(client, second.modPath());
        assertThat(e.kind()).as(e.getMessage()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
        ConnectionReport report = Await.result(client.testConnection(), WAIT);
        assertThat(report.reachable()).as(report.message()).isFalse();
        assertThat(report.ok()).isFalse();
        assertNoSecrets(report.message(), secrets());
    }

    private List<String> secrets() {
        return ConformanceChecks.secretsOf(validCredentials(), wrongCredentials());
    }

    private static String strip(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }
}
