package dev.vreg.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.GoproxyFixture;
import dev.vreg.testkit.go.ModDownload;
import com.sun.net.httpserver.HttpServer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console in a real browser: Debian's headless chromium, driven by playwright-core from
 * {@code console/e2e/scenario.mjs}, against a real vreg whose upstreams are a {@link GoproxyFixture} and an address
 * nobody listens on. A person signs in, creates a registry and two upstreams (testing each before saving), links
 * and reorders them, finds the module the real go command pulled in the cache page with its pull count, deletes it
 * and sees the next pull fetch it again; writes filter rules, sees a version they refuse refused to the real go command
 * and recorded in the audit log, and signs out, after which the API refuses the session. The group's own filter
 * rules, a lifecycle policy that deletes the files the test aged (dry run first), webhooks tested against a receiver
 * here that answers 200 on one path and 503 on another, and the instance audit log with its NDJSON export are driven
 * the same way, and a reader of the group is offered none of the changes the API would refuse. Every page passes axe-core
 * without serious violations, and screenshots of each are kept under {@code target/console-screenshots}.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ConsoleBrowserTest {

    static final String ADMIN = "vreg_console-e2e-admin-token-0123456789abcdef";
    static final GoModule MODULE = GoModule.builder("example.com/console/demo", "v1.4.0").build();

    @TempDir
    static Path temp;

    static GoproxyFixture upstream;
    static VregServer vreg;
    /** Receives the webhooks: {@code /hooks/ok} answers 200, {@code /hooks/down} 503. */
    static HttpServer receiver;
    /** The X-Vreg-Event and X-Vreg-Signature headers of each delivery, by path. */
    static final Map<String, List<String>> deliveries = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws IOException {
        upstream = GoproxyFixture.start().publish(MODULE);
        VregConfig config = TestVreg.config(TestVreg.newDataDir(), List.of("http://127.0.0.1:9"));
        config.auth.adminToken = ADMIN;
        config.cache.downloadsFlushInterval = Duration.ofMillis(200);
        config.statistics.flushInterval = Duration.ofMillis(200);
        config.security.encryptionKey = Base64.getEncoder().encodeToString(new byte[32]);
        config.audit.webhooks.backoff = Duration.ofMillis(200);
        config.audit.webhooks.attempts = 2;
        vreg = TestVreg.start(config);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                String path = exchange.getRequestURI().getPath();
                deliveries.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(
                        exchange.getRequestHeaders().getFirst("X-Vreg-Event") + " "
                                + exchange.getRequestHeaders().getFirst("X-Vreg-Signature"));
                byte[] answer = (path.endsWith("/ok") ? "thanks" : "receiver down").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(path.endsWith("/ok") ? 200 : 503, answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        receiver.start();
    }

    @AfterAll
    static void stop() {
        if (receiver != null) {
            receiver.stop(0);
        }
        if (vreg != null) {
            vreg.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void servesTheConsoleUnderUiWithCachingThatFitsEachFile() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> root = http.send(HttpRequest.newBuilder(URI.create(vreg.baseUrl() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValue("/ui/");

        for (String route : List.of("/ui/", "/ui/groups/default/registries/main", "/ui/sign-in")) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(vreg.baseUrl() + route)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as(route).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
                    .contains("default-src 'self'");
            assertThat(page.body()).contains("<div id=\"app\"></div>").contains("/ui/assets/");
        }

        String index = http.send(HttpRequest.newBuilder(URI.create(vreg.baseUrl() + "/ui/")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher script = java.util.regex.Pattern.compile("src=\"(/ui/assets/[^\"]+\\.js)\"")
                .matcher(index);
        assertThat(script.find()).as(index).isTrue();
        HttpResponse<String> asset = http.send(HttpRequest.newBuilder(URI.create(vreg.baseUrl() + script.group(1)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(asset.statusCode()).isEqualTo(200);
        assertThat(asset.headers().firstValue("Content-Type")).get().asString().contains("javascript");
        assertThat(asset.headers().firstValue("Cache-Control")).get().asString()
                .contains("immutable").contains("max-age=31536000");

        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(vreg.baseUrl()
                + "/ui/assets/none-0000.js")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).doesNotContain("<div id=\"app\">");
    }

    @Test
    void aPersonConfiguresARegistryAndManagesItsCacheInTheBrowser() throws Exception {
        Path screenshots = Files.createDirectories(Path.of("target", "console-screenshots").toAbsolutePath());
        String badUrl = "http://127.0.0.1:" + TestVreg.freePort();
        Path log = Files.createDirectories(Path.of("target").toAbsolutePath()).resolve("console-e2e.log");
        ProcessBuilder builder = new ProcessBuilder(node(), "e2e/scenario.mjs")
                .directory(consoleDir().toFile())
                .redirectError(log.toFile());
        builder.environment().put("VREG_URL", vreg.baseUrl());
        builder.environment().put("VREG_TOKEN", ADMIN);
        builder.environment().put("GOOD_UPSTREAM_URL", upstream.baseUrl().toString());
        builder.environment().put("BAD_UPSTREAM_URL", badUrl);
        builder.environment().put("MODULE_PATH", MODULE.path());
        builder.environment().put("MODULE_VERSION", MODULE.version());
        builder.environment().put("SCREENSHOTS_DIR", screenshots.toString());
        String hooks = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/";
        builder.environment().put("WEBHOOK_OK_URL", hooks + "ok");
        builder.environment().put("WEBHOOK_DOWN_URL", hooks + "down");
        Process scenario = builder.start();
        List<String> said = new ArrayList<>();
        int pulls = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(scenario.getInputStream(),
                StandardCharsets.UTF_8));
             Writer in = new OutputStreamWriter(scenario.getOutputStream(), StandardCharsets.UTF_8)) {
            String line;
            while ((line = out.readLine()) != null) {
                said.add(line);
                if (line.startsWith("PULL ")) {
                    pulls++;
                    int before = upstream.requestCount(MODULE.zipPath());
                    List<ModDownload> got = pull("pull" + pulls);
                    assertThat(got).hasSize(1);
                    assertThat(got.get(0).error()).as("go mod download through the new registry").isNull();
                    // Each pull comes after the cache lost the zip (or never had it): the upstream is asked again.
                    assertThat(upstream.requestCount(MODULE.zipPath())).isEqualTo(before + 1);
                    in.write("PULLED\n");
                    in.flush();
                } else if (line.startsWith("AGE ")) {
                    // Every cached file as if last pulled that many days ago, for a lifecycle policy to delete.
                    int days = Integer.parseInt(line.substring("AGE ".length()));
                    vreg.pool().preparedQuery("UPDATE cache_entries SET created_at = now() - make_interval(days => $1), "
                                    + "last_downloaded_at = now() - make_interval(days => $1)")
                            .execute(Tuple.of(days)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                    in.write("AGED\n");
                    in.flush();
                } else if (line.startsWith("REFUSED-PULL ")) {
                    int before = upstream.requestCount(MODULE.zipPath());
                    List<ModDownload> got = pull("refused" + line.substring("REFUSED-PULL ".length()));
                    assertThat(got).hasSize(1);
                    // The registry's filter rules refuse it, in the words the rule gives, before any upstream.
                    assertThat(got.get(0).error()).as("go mod download of a refused version")
                            .contains("403").contains("frozen for the release");
                    assertThat(upstream.requestCount(MODULE.zipPath())).isEqualTo(before);
                    in.write("REFUSED\n");
                    in.flush();
                }
            }
        } finally {
            if (!scenario.waitFor(30, TimeUnit.SECONDS)) {
                scenario.destroyForcibly();
            }
        }
        String stderr = Files.readString(log);
        assertThat(scenario.exitValue()).as("the browser scenario failed:\n%s\n%s", String.join("\n", said), stderr)
                .isZero();
        assertThat(said).contains("DONE");
        assertThat(pulls).isEqualTo(2);
        assertThat(upstream.requestCount(MODULE.zipPath())).isEqualTo(2);
        assertThat(said).anySatisfy(l -> assertThat(l).startsWith("AUDITED ").contains("sign-in", "overview",
                "registries", "registry", "upstream-new", "upstream-edit", "cache", "statistics",
                "upstream-statistics", "policies", "policies-explained", "audit", "group-rules", "lifecycle",
                "webhooks", "webhook-deliveries", "instance-audit"));
        // The test events reached the receiver, signed; the one that is down was tried twice.
        assertThat(deliveries.get("/hooks/ok")).singleElement().asString()
                .matches("webhook\\.test t=\\d+,v1=[0-9a-f]{64}");
        assertThat(deliveries.get("/hooks/down")).hasSize(2);
        // The lifecycle policy's run deleted the aged zip from the cache.
        assertThat(vreg.pool().preparedQuery("SELECT count(*) FROM cache_entries WHERE path LIKE '%.zip'").execute()
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).iterator().next().getLong(0))
                .isZero();
        try (var files = Files.list(screenshots)) {
            assertThat(files.filter(p -> p.toString().endsWith(".png")).count()).isGreaterThanOrEqualTo(8);
        }

        List<String> order = new ArrayList<>();
        for (Row row : vreg.pool().preparedQuery("SELECT u.name FROM registry_upstreams ru "
                        + "JOIN upstreams u ON u.id = ru.upstream_id JOIN registries r ON r.id = ru.registry_id "
                        + "WHERE r.name = $1 ORDER BY ru.position")
                .execute(Tuple.of("team")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)) {
            order.add(row.getString("name"));
        }
        assertThat(order).containsExactly("fixture", "broken");
    }

    private List<ModDownload> pull(String name) throws IOException {
        GoTool go = GoTool.builder(Files.createDirectories(temp.resolve(name)))
                .proxy(vreg.baseUrl() + "/go/default/team")
                .sumDb("off")
                .build();
        Files.createDirectories(go.workDir());
        return go.modDownloadJson(MODULE.path() + "@" + MODULE.version());
    }

    private static Path consoleDir() {
        String dir = System.getProperty("vreg.console.dir");
        if (dir == null) {
            throw new IllegalStateException("system property vreg.console.dir is not set; run the tests with Maven");
        }
        Path path = Path.of(dir);
        if (!Files.isDirectory(path.resolve("node_modules/playwright-core"))) {
            throw new IllegalStateException(path + " has no node_modules: the console module's npm ci must run first");
        }
        return path;
    }

    private static String node() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "node"))) {
                return Path.of(dir, "node").toString();
            }
        }
        throw new IllegalStateException("the node command is required: the console's browser tests run on it");
    }
}
