package dev.vreg.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.FileContent;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoSumLine;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.StaticGoProxy;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton as a user meets it: the real go command builds a project through vreg's default registry,
 * then builds it again from vreg's cache alone, also after vreg restarts, with the upstream gone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GoBuildThroughVregTest {

    @TempDir
    static Path temp;

    static final GoModule ALPHA = GoModule.builder("example.com/alpha", "v1.2.0").build();
    static final GoModule BETA_V2 = GoModule.builder("example.com/beta/v2", "v2.1.0").build();
    static final GoModule UPPER = GoModule.builder("example.com/Upper/Case", "v0.3.0").build();
    static final GoModule BIG = GoModule.builder("example.com/big", "v1.0.0")
            .file("data/blob.bin", FileContent.pseudoRandom(42, 40L << 20))
            .stored()
            .build();

    static StaticGoProxy upstream;
    static Path dataDir;
    static VregServer vreg;
    static Path goCache;

    @BeforeAll
    static void start() throws Exception {
        upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("upstream")), ALPHA, BETA_V2, UPPER, BIG);
        dataDir = TestVreg.newDataDir();
        vreg = TestVreg.start(TestVreg.config(dataDir, List.of(upstream.baseUrl())));
        goCache = Files.createDirectories(temp.resolve("gocache"));
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

    static String goproxy() {
        return vreg.baseUrl() + "/go/default/main";
    }

    GoTool go(String name, String proxy) throws Exception {
        return GoTool.builder(Files.createDirectories(temp.resolve(name))).proxy(proxy).goCache(goCache).build();
    }

    @Test
    @Order(1)
    void buildsThroughVregWithTheHashesTheUpstreamServed() throws Exception {
        Path app = GoTool.writeConsumer(Files.createDirectories(temp.resolve("app")), ALPHA, BETA_V2, UPPER, BIG);
        GoTool throughVreg = go("first", goproxy());
        throughVreg.run(app, "mod", "tidy").assertSuccess();
        throughVreg.run(app, "build", "-o", temp.resolve("app.bin").toString(), ".").assertSuccess();
        assertThat(upstream.requestCount(BIG.zipPath())).isEqualTo(1);

        // The same go, straight at the upstream, is the reference for what go.sum must say.
        Path direct = GoTool.writeConsumer(Files.createDirectories(temp.resolve("direct")), ALPHA, BETA_V2, UPPER, BIG);
        go("direct", upstream.baseUrl()).run(direct, "mod", "tidy").assertSuccess();

        List<GoSumLine> viaVreg = GoTool.readGoSum(app);
        assertThat(viaVreg).hasSize(8).containsExactlyInAnyOrderElementsOf(GoTool.readGoSum(direct));
    }

    @Test
    @Order(2)
    void recordsTheSameHashesGoComputed() throws Exception {
        Map<String, String> expected = new HashMap<>();
        for (GoSumLine line : GoTool.readGoSum(temp.resolve("app"))) {
            String escaped = escape(line.module());
            String path = line.isGoMod()
                    ? escaped + "/@v/" + line.version().replace("/go.mod", "") + ".mod"
                    : escaped + "/@v/" + line.version() + ".zip";
            expected.put(path, line.hash());
        }
        Map<String, String> recorded = new HashMap<>();
        for (Row row : vreg.pool()
                .preparedQuery("SELECT path, attributes->>'h1' AS h1 FROM cache_entries WHERE path = ANY($1)")
                .execute(Tuple.of(expected.keySet().toArray(String[]::new)))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)) {
            recorded.put(row.getString("path"), row.getString("h1"));
        }
        assertThat(recorded).isEqualTo(expected);
    }

    @Test
    @Order(3)
    void buildsFromTheCacheAloneWhenTheUpstreamIsGone() throws Exception {
        int before = upstream.totalRequests();
        upstream.stop();
        GoTool fresh = go("offline", goproxy());
        fresh.run(temp.resolve("app"), "build", "-o", temp.resolve("app2.bin").toString(), ".").assertSuccess();
        upstream.restart();
        assertThat(upstream.totalRequests()).isEqualTo(before);
        upstream.stop();
    }

    @Test
    @Order(4)
    void servesTheCacheAfterARestartOnTheSameDataDirectory() throws Exception {
        vreg.close();
        vreg = TestVreg.start(TestVreg.config(dataDir, List.of(upstream.baseUrl())));
        GoTool fresh = go("restarted", goproxy());
        fresh.run(temp.resolve("app"), "build", "-o", temp.resolve("app3.bin").toString(), ".").assertSuccess();
    }

    private static String escape(String path) {
        StringBuilder out = new StringBuilder();
        for (char c : path.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('!').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
