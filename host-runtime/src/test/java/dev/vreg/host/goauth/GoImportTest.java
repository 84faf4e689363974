package dev.vreg.host.goauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.api.ApiClient;
import dev.vreg.host.support.ConnectProxy;
import dev.vreg.host.support.PrivateGoRegistry;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoResult;
import dev.vreg.testkit.go.GoTool;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * go-import discovery: with the vanity prefix {@code go.acme.example/} on the private registry, the real go command
 * in direct mode ({@code GOPROXY=direct}, {@code GOPRIVATE=go.acme.example}) resolves, downloads and builds modules
 * under it through vreg. The made-up host reaches vreg through an HTTPS proxy that knows only it, and vreg's
 * generated certificate covers it; everything else the go command fetches goes to vreg's own address.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class GoImportTest {

    static final String VANITY = "go.acme.example";
    static final GoModule ALPHA = GoModule.builder(VANITY + "/alpha", "v1.0.0").goPackage("sub").build();
    static final String PREFIXES = "/api/v1/groups/acme/registries/private/vanity-prefixes";

    @TempDir
    static Path temp;

    static PrivateGoRegistry registry;
    static ConnectProxy proxy;
    static Path goCache;

    @BeforeAll
    static void start() throws Exception {
        registry = PrivateGoRegistry.start(Clock.systemUTC(), config -> config.http.tls.names = List.of(VANITY),
                ALPHA);
        proxy = new ConnectProxy(Map.of(VANITY + ":443", registry.httpsPort()));
        ApiClient.Answer put = registry.api.put(PREFIXES, PrivateGoRegistry.ADMIN_TOKEN,
                new JsonObject().put("prefixes", new JsonArray().add(VANITY + "/")));
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        goCache = Files.createDirectories(temp.resolve("gocache"));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    static GoTool go(String name) throws Exception {
        Path dir = Files.createDirectories(temp.resolve(name));
        Path netrc = dir.resolve("netrc");
        Files.writeString(netrc, "machine 127.0.0.1:" + registry.httpsPort() + " login ci password "
                + registry.readerToken + "\n");
        return GoTool.builder(dir).proxy("direct").sumDb("sum.golang.org").goCache(goCache)
                .env("GOPRIVATE", VANITY).env("GONOPROXY", "").env("GONOSUMDB", "")
                .env("HTTPS_PROXY", proxy.url()).env("NO_PROXY", "")
                .env("SSL_CERT_FILE", registry.vreg.caFile().toString())
                .env("NETRC", netrc.toString()).build();
    }

    @Test
    void theGoCommandInDirectModeDownloadsAVanityModuleThroughTheRegistry() throws Exception {
        int zips = registry.upstream.requestCount(ALPHA.zipPath());
        GoTool tool = go("download");
        tool.run("mod", "download", ALPHA.path() + "@" + ALPHA.version()).assertSuccess();
        assertThat(tool.modCache().resolve("cache/download/go.acme.example/alpha/@v/v1.0.0.zip")).exists();
        assertThat(registry.upstream.requestCount(ALPHA.zipPath())).isGreaterThanOrEqualTo(zips);
        assertThat(proxy.requested()).isNotEmpty().allMatch((VANITY + ":443")::equals);
    }

    @Test
    void aPackageBelowTheModuleIsFoundAmongThePathsGoTriesAndBuilds() throws Exception {
        GoTool tool = go("get");
        Path app = Files.createDirectories(temp.resolve("get-app"));
        tool.run(app, "mod", "init", "example.com/app").assertSuccess();
        Files.writeString(app.resolve("main.go"), "package main\n\nimport _ \"" + VANITY + "/alpha/sub\"\n\n"
                + "func main() {}\n");
        tool.run(app, "get", VANITY + "/alpha/sub@" + ALPHA.version()).assertSuccess();
        tool.run(app, "build", "-o", "app", ".").assertSuccess();
        assertThat(Files.readString(app.resolve("go.mod"))).contains(ALPHA.path() + " " + ALPHA.version());
    }

    @Test
    void aVanityPathNoUpstreamHasFailsWithTheRegistrysNotFound() throws Exception {
        GoResult result = go("missing").run("mod", "download", VANITY + "/nowhere@v1.0.0");
        result.assertFailure();
        assertThat(result.stderr()).contains("404 Not Found");
    }

    @Test
    void thePageCarriesAGoImportTagNamingTheRegistryAsModProxy() throws Exception {
        HttpClient http = HttpClient.newBuilder().proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1",
                proxy.port()))).sslContext(trusting(registry.vreg.caFile())).build();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("https://" + VANITY
                + "/alpha/sub?go-get=1")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("<meta name=\"go-import\" content=\"" + VANITY + "/alpha/sub mod "
                + registry.goproxy() + "\">");
        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(URI.create("https://" + VANITY
                + "/alpha/sub")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.body()).doesNotContain("go-import");
        HttpResponse<String> malformed = http.send(HttpRequest.newBuilder(URI.create("https://" + VANITY
                + "/alpha/bad%22path?go-get=1")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(malformed.statusCode()).isEqualTo(404);
        assertThat(malformed.body()).contains("malformed import path");
    }

    @Test
    void prefixesAreReadByReadersReplacedByMaintainersAndCheckedAsModulePaths() {
        ApiClient api = registry.api;
        String admin = PrivateGoRegistry.ADMIN_TOKEN;
        ApiClient.Answer read = api.get(PREFIXES, registry.readerToken);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.json().getJsonArray("prefixes")).containsExactly(VANITY + "/");
        assertThat(api.put(PREFIXES, registry.readerToken, new JsonObject().put("prefixes", new JsonArray()))
                .status()).isEqualTo(403);

        ApiClient.Answer invalid = api.put(PREFIXES, admin, new JsonObject().put("prefixes",
                new JsonArray().add(VANITY + "/").add("*.acme.example").add("Go.Acme.Example/x").add(VANITY + "/")));
        assertThat(invalid.status()).as(invalid.body()).isEqualTo(422);
        assertThat(invalid.contentType()).startsWith("application/problem+json");
        assertThat(invalid.json().getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
                .containsExactly("prefixes[1]", "prefixes[2]", "prefixes[3]");
        assertThat(invalid.body()).contains("is not a module path");

        assertThat(api.post("/api/v1/groups/acme/registries", admin,
                new JsonObject().put("name", "other").put("format", "go")).status()).isEqualTo(201);
        ApiClient.Answer claimed = api.put("/api/v1/groups/acme/registries/other/vanity-prefixes", admin,
                new JsonObject().put("prefixes", new JsonArray().add("go.other.example/tools").add(VANITY + "/")));
        assertThat(claimed.status()).as(claimed.body()).isEqualTo(409);
        assertThat(api.get("/api/v1/groups/acme/registries/other/vanity-prefixes", admin).json()
                .getJsonArray("prefixes")).isEmpty();
        assertThat(api.get("/api/v1/groups/acme/registries/absent/vanity-prefixes", admin).status())
                .isEqualTo(404);
        assertThat(api.get(PREFIXES, admin).json().getJsonArray("prefixes")).containsExactly(VANITY + "/");
    }

    /** The lookup of prefixes for a request with a query holds the request, so later handlers still read it. */
    @Test
    void adminRequestsWithAQueryAreAnsweredAsBefore() {
        long upstream = registry.api.get("/api/v1/groups/acme/upstreams", PrivateGoRegistry.ADMIN_TOKEN).array()
                .getJsonObject(0).getLong("id");
        ApiClient.Answer listing = registry.api.get("/api/v1/groups/acme/upstreams/" + upstream
                + "/cache?search=go.acme.example&page=1", PrivateGoRegistry.ADMIN_TOKEN);
        assertThat(listing.status()).as(listing.body()).isEqualTo(200);
        assertThat(listing.contentType()).startsWith("application/json");
    }

    static SSLContext trusting(Path caFile) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
