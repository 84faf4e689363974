package dev.vreg.host.upstream.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.host.plugins.HostPluginContext;
import dev.vreg.spi.AddressNotAllowedException;
import dev.vreg.spi.PluginContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.core.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP clients plugins get check the address they connect to, after resolving the name. Linux routes all of
 * 127.0.0.0/8 to the loopback interface, so 127.0.0.1 and 127.0.0.2 stand for an allowed and a refused host.
 */
@Timeout(30)
class GuardedHttpClientTest {

    static Vertx vertx;
    static HttpServer allowed;
    static HttpServer refused;
    static final AtomicInteger refusedConnections = new AtomicInteger();
    static final List<String> hostHeaders = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        refused = vertx.createHttpServer().connectionHandler(conn -> refusedConnections.incrementAndGet())
                .requestHandler(request -> request.response().end("internal"))
                .listen(0, "127.0.0.2").await();
        allowed = vertx.createHttpServer().requestHandler(request -> {
            hostHeaders.add(request.getHeader("Host"));
            if (request.path().equals("/redirect")) {
                request.response().setStatusCode(302)
                        .putHeader("Location", "http://127.0.0.2:" + refused.actualPort() + "/secret").end();
            } else {
                request.response().end("public");
            }
        }).listen(0, "127.0.0.1").await();
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
    }

    static PluginContext context(String... allowedNetworks) {
        return new HostPluginContext(vertx, Duration.ofSeconds(5), Duration.ofSeconds(5), Clock.systemUTC(),
                new SimpleMeterRegistry(), "test", AddressRule.allowingNetworks(List.of(allowedNetworks)));
    }

    record Response(int status, String body) {
    }

    /** The body is read in the dispatch that delivers the response, before Vert.x could drop a chunk of it. */
    static Response get(HttpClient client, String host, int port, String path) {
        return client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port)
                        .setURI(path))
                .compose(request -> request.send().compose(response -> response.body()
                        .map(body -> new Response(response.statusCode(), body.toString()))))
                .await();
    }

    @Test
    void connectsToAnAllowedAddressUnderTheNameItWasGiven() {
        HttpClient client = context("127.0.0.1/32").createHttpClient(new HttpClientOptions());
        Response response = get(client, "localhost", allowed.actualPort(), "/");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("public");
        assertThat(hostHeaders).contains("localhost:" + allowed.actualPort());
        client.close().await();
    }

    @Test
    void tlsVerifiesTheNameNotTheAddressItWasCheckedAs() {
        SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
        HttpServer tls = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
                        .setKeyCertOptions(certificate.keyCertOptions()))
                .requestHandler(request -> request.response().end("secure")).listen(0, "127.0.0.1").await();
        try {
            HttpClient client = context("127.0.0.1/32").createHttpClient(new HttpClientOptions().setSsl(true)
                    .setVerifyHost(true).setTrustOptions(certificate.trustOptions()));
            assertThat(get(client, "localhost", tls.actualPort(), "/").body()).isEqualTo("secure");
            // The certificate names localhost only: asked for by address, the same server is not trusted.
            assertThatThrownBy(() -> get(client, "127.0.0.1", tls.actualPort(), "/"))
                    .hasStackTraceContaining("SSL");
            client.close().await();
        } finally {
            tls.close().await();
        }
    }

    @Test
    void refusesAnAddressTheRuleDoesNotAllowBeforeConnecting() {
        int before = refusedConnections.get();
        HttpClient client = context("127.0.0.1/32").createHttpClient(new HttpClientOptions());
        assertThatThrownBy(() -> get(client, "127.0.0.2", refused.actualPort(), "/"))
                .isInstanceOf(AddressNotAllowedException.class)
                .hasMessage("the address 127.0.0.2 of upstream 127.0.0.2:" + refused.actualPort() + " is not "
                        + "allowed (a loopback address); an instance admin can allow it (upstreams.allowedNetworks, "
                        + "or allowPrivateNetwork on the upstream)");
        assertThat(refusedConnections.get()).isEqualTo(before);
        client.close().await();
    }

    @Test
    void checksTheAddressANameResolvesToNotTheName() {
        HttpClient client = context("127.0.0.2/32").createHttpClient(new HttpClientOptions());
        assertThatThrownBy(() -> get(client, "localhost", allowed.actualPort(), "/"))
                .isInstanceOf(AddressNotAllowedException.class)
                .hasMessageStartingWith("the address 127.0.0.1 of upstream localhost:" + allowed.actualPort()
                        + " is not allowed (a loopback address)");
        client.close().await();
    }

    @Test
    void redirectsVertxFollowsItselfAreCheckedToo() {
        int before = refusedConnections.get();
        HttpClient client = context("127.0.0.1/32").createHttpClient(new HttpClientOptions());
        assertThatThrownBy(() -> client.request(new RequestOptions().setHost("127.0.0.1")
                        .setPort(allowed.actualPort()).setURI("/redirect").setFollowRedirects(true))
                .compose(request -> request.send()).await())
                .isInstanceOf(AddressNotAllowedException.class);
        assertThat(refusedConnections.get()).isEqualTo(before);
        client.close().await();
    }

    @Test
    void toldOfEveryRefusal() {
        List<AddressNotAllowedException> told = new CopyOnWriteArrayList<>();
        HostPluginContext host = (HostPluginContext) context();
        HttpClient client = host.forUpstream(false, told::add).createHttpClient(new HttpClientOptions());
        assertThatThrownBy(() -> get(client, "127.0.0.1", allowed.actualPort(), "/"))
                .isInstanceOf(AddressNotAllowedException.class);
        assertThat(told).hasSize(1);
        client.close().await();
    }

    @Test
    void anUpstreamAllowedIntoPrivateNetworksConnectsAnywhere() {
        HostPluginContext host = (HostPluginContext) context();
        HttpClient client = host.forUpstream(true, refusal -> { }).createHttpClient(new HttpClientOptions());
        assertThat(get(client, "127.0.0.2", refused.actualPort(), "/").status()).isEqualTo(200);
        client.close().await();
    }

    @Test
    void requestsMayNotNameTheirOwnProxyOrServer() {
        HttpClient client = context("127.0.0.1/32").createHttpClient(new HttpClientOptions());
        assertThatThrownBy(() -> client.request(new RequestOptions().setHost("example.com").setPort(80).setURI("/")
                .setProxyOptions(new ProxyOptions().setHost("127.0.0.2").setPort(refused.actualPort()))).await())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.request(new RequestOptions().setServer(SocketAddress.domainSocketAddress(
                "/run/postgresql/.s.PGSQL.5432")).setURI("/")).await())
                .isInstanceOf(AddressNotAllowedException.class);
        client.close().await();
    }
}
