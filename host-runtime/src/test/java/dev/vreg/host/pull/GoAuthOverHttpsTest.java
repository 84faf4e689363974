package dev.vreg.host.pull;

import dev.vreg.host.identity.Tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.api.ApiClient;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoResult;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.StaticGoProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real go command against a private registry over HTTPS (it sends {@code .netrc} credentials only over HTTPS):
 * with the token in {@code .netrc} or in the GOPROXY URL it downloads; without it, or with a wrong one, go reports
 * the 401. A registry made through the admin API serves at once, and a cache entry deleted there is fetched again.
 */
class GoAuthOverHttpsTest {

    static final String ADMIN_TOKEN = "vreg_https-admin-token-0123456789abcdefghijklmnop";
    static final String PASSWORD = "changeit";
    static final GoModule ALPHA = GoModule.builder("example.com/alpha", "v1.2.0").build();

    @TempDir
    static Path temp;

    static StaticGoProxy upstream;
    static VregServer vreg;
    static Path certificate;
    static String readerToken;
    static long upstreamId;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        Path keyStore = temp.resolve("vreg.p12");
        certificate = temp.resolve("vreg.pem");
        keytool("-genkeypair", "-alias", "vreg", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "vreg", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-file", certificate.toString());

        upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("upstream")), ALPHA);
        VregConfig config = TestVreg.config(TestVreg.newDataDir(), List.of(upstream.baseUrl()));
        config.auth.adminToken = ADMIN_TOKEN;
        config.http.tls.keyStore = keyStore;
        config.http.tls.keyStorePassword = PASSWORD;
        vreg = TestVreg.start(config);
        assertThat(vreg.baseUrl()).startsWith("https://127.0.0.1:");

        http = HttpClient.newBuilder().sslContext(trusting(keyStore)).build();
        post(http, "/api/v1/groups", new JsonObject().put("name", "acme"));
        long id = post(http, "/api/v1/groups/acme/upstreams",
                new JsonObject().put("kind", "goproxy").put("url", upstream.baseUrl())).getLong("id");
        post(http, "/api/v1/groups/acme/registries", new JsonObject().put("name", "private").put("format", "go"));
        post(http, "/api/v1/groups/acme/registries/private/upstreams", new JsonObject().put("upstreamId", id));
        upstreamId = id;
        post(http, "/api/v1/users", new JsonObject().put("username", "rita"));
        assertThat(send(http, "PUT", "/api/v1/groups/acme/members/rita", new JsonObject().put("role", "reader"))
                .statusCode()).isEqualTo(200);
        readerToken = post(http, "/api/v1/users/rita/tokens", new JsonObject().put("name", "netrc")
                .put("scopes", new JsonArray().add("read"))).getString("token");
    }

    @AfterAll
    static void stop() {
        if (vreg != null) {
            vreg.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    static SSLContext trusting(Path keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    static JsonObject post(HttpClient http, String path, JsonObject body) throws Exception {
        HttpResponse<String> response = send(http, "POST", path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return new JsonObject(response.body());
    }

    static HttpResponse<String> send(HttpClient http, String method, String path, JsonObject body)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(vreg.baseUrl() + path))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.encode())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    GoResult download(String name, String netrcPassword) throws Exception {
        return download(name, vreg.baseUrl() + "/go/acme/private", netrcPassword);
    }

    GoResult download(String name, String proxy, String netrcPassword) throws Exception {
        Path dir = Files.createDirectories(temp.resolve(name));
        var builder = GoTool.builder(dir).proxy(proxy)
                .env("SSL_CERT_FILE", certificate.toString());
        if (netrcPassword != null) {
            Path netrc = dir.resolve("netrc");
            Files.writeString(netrc, "machine 127.0.0.1:" + vreg.port() + " login anyone password " + netrcPassword
                    + "\n");
            builder.env("NETRC", netrc.toString());
        }
        return builder.build().run("mod", "download", ALPHA.path() + "@" + ALPHA.version());
    }

    @Test
    void theGoCommandPullsWithTheTokenFromNetrc() throws Exception {
        download("netrc", readerToken).assertSuccess();
    }

    @Test
    void withoutCredentialsOrWithAWrongTokenGoReportsTheRefusal() throws Exception {
        GoResult anonymous = download("anonymous", null);
        assertThat(anonymous.succeeded()).isFalse();
        assertThat(anonymous.stderr()).contains("401 Unauthorized");
        GoResult wrong = download("wrong", Tokens.generate());
        assertThat(wrong.succeeded()).isFalse();
        assertThat(wrong.stderr()).contains("401 Unauthorized");
    }

    @Test
    void aTokenInTheGoproxyUrlWorksLikeNetrc() throws Exception {
        download("in-url", "https://anyone:" + readerToken + "@127.0.0.1:" + vreg.port() + "/go/acme/private", null)
                .assertSuccess();
    }

    @Test
    void aRegistryMadeThroughTheApiServesAtOnceAndADeletedCacheEntryIsFetchedAgain() throws Exception {
        post(http, "/api/v1/groups/acme/registries", new JsonObject().put("name", "fresh").put("format", "go"));
        post(http, "/api/v1/groups/acme/registries/fresh/upstreams", new JsonObject().put("upstreamId", upstreamId));
        String fresh = vreg.baseUrl() + "/go/acme/fresh";
        download("fresh-1", fresh, readerToken).assertSuccess();

        JsonObject page = new JsonObject(send(http, "GET", "/api/v1/groups/acme/upstreams/" + upstreamId
                + "/cache?search=" + ALPHA.path() + "&version=" + ALPHA.version(), null).body());
        long zipEntry = page.getJsonArray("entries").stream().map(JsonObject.class::cast)
                .filter(e -> e.getString("file").equals(ALPHA.version() + ".zip")).findFirst().orElseThrow()
                .getLong("id");
        int before = upstream.requestCount(ALPHA.zipPath());
        assertThat(send(http, "DELETE", "/api/v1/groups/acme/upstreams/" + upstreamId + "/cache/" + zipEntry, null)
                .statusCode()).isEqualTo(204);
        download("fresh-2", fresh, readerToken).assertSuccess();
        assertThat(upstream.requestCount(ALPHA.zipPath())).isEqualTo(before + 1);
        download("fresh-3", fresh, readerToken).assertSuccess();
        assertThat(upstream.requestCount(ALPHA.zipPath())).isEqualTo(before + 1);
    }

    @Test
    void otherHttpClientsUseTheTokenAsBasicPassword() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(vreg.baseUrl()
                        + "/go/acme/private" + ALPHA.listPath()))
                .header("Authorization", ApiClient.basic("x", readerToken)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).contains("v1.2.0");
    }
}
