package dev.vreg.testkit.upstream;

import dev.vreg.spi.ArtifactRequest;
import dev.vreg.spi.Credentials;
import dev.vreg.spi.TransferLimits;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamConfig;
import dev.vreg.spi.UpstreamResponse;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * The lifecycle and helpers behind {@link UpstreamClientConformance}: starts the subclass's fixture once, programs
 * {@link ConformanceArtifacts#small()} before every test, opens clients with the suite's timeouts and closes them
 * after every test. Extend {@link UpstreamClientConformance}, not this class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class UpstreamConformanceSupport {

    /** The read timeout every client of the suite is opened with; the stall tests expect failures near it. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(1);

    /** The connect timeout every client of the suite is opened with. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** How long a test waits for any single outcome before it fails. */
    public static final Duration WAIT = Duration.ofSeconds(30);

    private final List<UpstreamClient> clients = new ArrayList<>();
    private UpstreamFixture fixture;

    /** A successful fetch whose body was read completely. */
    public record Fetched(UpstreamResponse response, Buffer body) {
    }

    /** The kind id of the plugin under test. */
    protected abstract String kind();

    /** Starts the fake upstream on a loopback address. Called once, before the first test. */
    protected abstract UpstreamFixture startFixture() throws Exception;

    /** Opens the plugin's client for {@code config}. Must not perform I/O. */
    protected abstract UpstreamClient openClient(UpstreamConfig config);

    /** The kind's settings, passed in every configuration; empty unless the kind needs some. */
    protected JsonObject settings() {
        return new JsonObject();
    }

    /** The credentials the suite configures by default; the fixture accepts them when it requires any. */
    protected Credentials validCredentials() {
        return Credentials.basic("conformance-user", "conformance-secret-7c1f93");
    }

    /** Credentials of the same type as {@link #validCredentials()} that the fixture rejects. */
    protected Credentials wrongCredentials() {
        Credentials valid = validCredentials();
        return valid.hasToken()
                ? Credentials.token("conformance-wrong-token-5be20d")
                : Credentials.basic(valid.username(), "conformance-wrong-secret-5be20d");
    }

    @BeforeAll
    protected final void startConformanceFixture() throws Exception {
        fixture = startFixture();
    }

    @BeforeEach
    protected final void programKnownArtifacts() {
        fixture.reset();
        ConformanceArtifacts.small().forEach((ref, body) -> fixture.serve(ref, body, ConformanceArtifacts.etagOf(ref)));
    }

    @AfterEach
    protected final void closeClients() {
        clients.forEach(UpstreamClient::close);
        clients.clear();
    }

    @AfterAll
    protected final void stopConformanceFixture() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** The running fixture. */
    protected final UpstreamFixture fixture() {
        return fixture;
    }

    /** A client of the fixture configured with {@link #validCredentials()}; closed after the test. */
    protected final UpstreamClient client() {
        return client(fixture.baseUrl(), validCredentials());
    }

    /** A client of {@code url} with {@code credentials} (may be null); closed after the test. */
    protected final UpstreamClient client(URI url, Credentials credentials) {
        return client(config(url, credentials, TransferLimits.DEFAULT));
    }

    /** A client of the fixture with {@link #validCredentials()} and {@code transfer}; closed after the test. */
    protected final UpstreamClient client(TransferLimits transfer) {
        return client(config(fixture.baseUrl(), validCredentials(), transfer));
    }

    private UpstreamClient client(UpstreamConfig config) {
        UpstreamClient client = openClient(config);
        clients.add(client);
        return client;
    }

    /** The configuration the suite opens clients with, with the default {@link TransferLimits}. */
    protected final UpstreamConfig config(URI url, Credentials credentials) {
        return config(url, credentials, TransferLimits.DEFAULT);
    }

    /** The configuration the suite opens clients with. */
    protected final UpstreamConfig config(URI url, Credentials credentials, TransferLimits transfer) {
        return new UpstreamConfig("conformance-" + kind(), kind(), url, credentials, settings(), CONNECT_TIMEOUT,
                READ_TIMEOUT, transfer);
    }

    /** Fetches {@code request} and reads its whole body, consuming it on the response's context as the host does. */
    protected static Future<Fetched> fetchAsync(UpstreamClient client, ArtifactRequest request) {
        return client.fetch(request)
                .compose(response -> BodyReader.readAll(response).map(body -> new Fetched(response, body)));
    }

    /** Like {@link #fetchAsync} but waits for the outcome, failing the test on any failure. */
    protected static Fetched fetch(UpstreamClient client, ArtifactRequest request) {
        return Await.result(fetchAsync(client, request), WAIT);
    }

    /** Every string that must never appear in a message: the secrets of the valid and the wrong credentials. */
    protected final List<String> secrets() {
        return ConformanceChecks.secretsOf(validCredentials(), wrongCredentials());
    }
}
