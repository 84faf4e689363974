package dev.vreg.host.e2e;

import static dev.vreg.host.e2e.FleetSingleFlightTest.ADMIN;
import static dev.vreg.host.e2e.FleetSingleFlightTest.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.db.postgres.EmbeddedPostgres;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.docs.DocBlock;
import dev.vreg.testkit.docs.RunnableDoc;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.ModDownload;
import dev.vreg.testkit.go.StaticGoProxy;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HAProxy configuration of docs/operations.md, run as written (only its addresses changed) by Debian's haproxy in
 * front of two nodes on one PostgreSQL and one blob store: the go command downloads through it, both nodes answer,
 * and when one node stops no request fails.
 */
@Timeout(300)
class LoadBalancerTest {

    static final GoModule MODULE = GoModule.builder("example.com/balanced", "v1.0.0").build();
    static final Path DOCS = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "docs")
            .toAbsolutePath().normalize();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path temp;

    @Test
    void theDocumentedHaproxySpreadsRequestsAndRoutesAroundAStoppedNode() throws Exception {
        String documented = RunnableDoc.read(DOCS.resolve("operations.md")).blocks().stream()
                .filter(block -> "haproxy.cfg".equals(block.path())).map(DocBlock::text).findFirst().orElseThrow();
        try (EmbeddedPostgres database = EmbeddedPostgres.start(TestVreg.newDataDir());
             StaticGoProxy upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("upstream")), MODULE)) {
            List<String> upstreams = List.of(upstream.baseUrl());
            String url = FleetSingleFlightTest.url(database);
            Path blobs = temp.resolve("blobs");
            VregServer a = TestVreg.start(FleetSingleFlightTest.node(url, TestVreg.newDataDir(), blobs, ADMIN, KEY,
                    upstreams));
            VregServer b = TestVreg.start(FleetSingleFlightTest.node(url, TestVreg.newDataDir(), blobs, ADMIN, KEY,
                    upstreams));
            int port = TestVreg.freePort();
            String config = documented.replace("bind :8080", "bind 127.0.0.1:" + port)
                    .replace("10.0.0.11:8080", "127.0.0.1:" + a.port())
                    .replace("10.0.0.12:8080", "127.0.0.1:" + b.port());
            assertThat(config).isNotEqualTo(documented).doesNotContain("10.0.0.");
            Path file = Files.writeString(temp.resolve("haproxy.cfg"), config);
            Process haproxy = new ProcessBuilder("haproxy", "-db", "-f", file.toString())
                    .redirectErrorStream(true).redirectOutput(Redirect.appendTo(temp.resolve("haproxy.log").toFile()))
                    .start();
            try {
                String balancer = "http://127.0.0.1:" + port;
                awaitStatus(balancer + "/readyz", 200, haproxy);
                GoTool go = GoTool.builder(Files.createDirectories(temp.resolve("go")))
                        .proxy(balancer + "/go/default/main").build();
                List<ModDownload> downloaded = go.modDownloadJson(MODULE.path() + "@" + MODULE.version());
                assertThat(downloaded).singleElement().satisfies(d -> {
                    assertThat(d.error()).isNull();
                    assertThat(d.sum()).isEqualTo(MODULE.zipHash());
                });
                for (int i = 0; i < 10; i++) {
                    assertThat(status(balancer + "/go/default/main" + MODULE.infoPath())).isEqualTo(200);
                }
                assertThat(pulls(a)).as("requests node 1 answered").isPositive();
                assertThat(pulls(b)).as("requests node 2 answered").isPositive();

                b.close();
                for (int i = 0; i < 20; i++) {
                    assertThat(status(balancer + "/go/default/main" + MODULE.modPath())).as("request %d", i)
                            .isEqualTo(200);
                }
                assertThat(upstream.requestCount(MODULE.zipPath())).isEqualTo(1);
            } finally {
                haproxy.destroy();
                haproxy.waitFor(30, TimeUnit.SECONDS);
                a.close();
                b.close();
            }
        }
    }

    /** Package requests the node answered, from its own metrics. */
    static long pulls(VregServer node) throws Exception {
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher counts = Pattern.compile("(?m)^vreg_pull_requests_seconds_count\\{[^}]*} ([0-9.E]+)$")
                .matcher(metrics);
        double sum = 0;
        while (counts.find()) {
            sum += Double.parseDouble(counts.group(1));
        }
        return (long) sum;
    }

    static int status(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static void awaitStatus(String url, int wanted, Process balancer) throws Exception {
        for (long deadline = System.nanoTime() + 30_000_000_000L; System.nanoTime() < deadline; Thread.sleep(100)) {
            assertThat(balancer.isAlive()).as("haproxy runs").isTrue();
            try {
                if (status(url) == wanted) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
        }
        throw new AssertionError(url + " did not answer " + wanted);
    }
}
