package dev.vreg.goproxy.client;

import dev.vreg.spi.Credentials;
import dev.vreg.spi.TransferLimits;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamConfig;
import dev.vreg.testkit.go.GoproxyFixture;
import dev.vreg.testkit.upstream.Await;
import dev.vreg.testkit.upstream.TestPluginContext;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** A plain-http fixture, a client-side Vert.x and clients that are closed after each test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GoproxyTestSupport {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
    /** Short enough that a trickling or endless body ends within a test's wait. */
    static final TransferLimits TRANSFER = new TransferLimits(Duration.ofSeconds(5), 4096, Duration.ofSeconds(1));
    static final Credentials BASIC = Credentials.basic("builder", "basic-secret-4d1a77");
    static final Credentials TOKEN = Credentials.token("token-secret-9e03bc");

    protected Vertx vertx;
    protected GoproxyFixture fixture;
    private final List<UpstreamClient> clients = new ArrayList<>();

    @BeforeAll
    void startFixture() {
        vertx = Vertx.vertx();
        fixture = GoproxyFixture.start();
    }

    @AfterEach
    void closeClientsAndResetFixture() {
        clients.forEach(UpstreamClient::close);
        clients.clear();
        fixture.reset();
    }

    @AfterAll
    void stopFixture() {
        fixture.close();
        Await.result(vertx.close(), WAIT);
    }

    UpstreamClient open(URI url, Credentials credentials) {
        return open(url, credentials, GoproxyClient.DEFAULT_PROBE_PATH, new HttpClientOptions());
    }

    UpstreamClient open(URI url, Credentials credentials, String probePath, HttpClientOptions defaults) {
        return open(new UpstreamConfig("test-upstream", "goproxy", url, credentials, null, Duration.ofSeconds(5),
                READ_TIMEOUT, TRANSFER), probePath, defaults);
    }

    UpstreamClient openLimited(URI url, TransferLimits transfer) {
        return open(new UpstreamConfig("test-upstream", "goproxy", url, null, null, Duration.ofSeconds(5),
                READ_TIMEOUT, transfer), GoproxyClient.DEFAULT_PROBE_PATH, new HttpClientOptions());
    }

    private UpstreamClient open(UpstreamConfig config, String probePath, HttpClientOptions defaults) {
        UpstreamClient client = GoproxyClient.open(config, probePath, new TestPluginContext(vertx, defaults));
        clients.add(client);
        return client;
    }

    /** A loopback port nothing listens on: it was free a moment ago. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture's URL for a relative path, as a redirect target. */
    String urlOf(GoproxyFixture server, String path) {
        return server.baseUrl().resolve(path).toString();
    }
}
