package dev.vreg.host.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.docs.DocPage;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.docs.Fence;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.StaticGoProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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

/**
 * The README's commands that start vreg, run by bash as written, from a directory laid out as a clone after the
 * build ({@code host-runtime/target} and {@code plugins} are the build's own), with no vreg setting in the
 * environment and nothing else in the directory: vreg comes up on its embedded default, and stops with SIGTERM and
 * exit status 0. Only the ports are moved, by {@code VREG_HTTP_PORT} and {@code VREG_TLS_PORT}, since 8080 and 8443
 * may be taken on the machine, and the heap is kept small with {@code JAVA_TOOL_OPTIONS}.
 */
class ReadmeCommandsIT {

    static final Pattern ADMIN_TOKEN = Pattern.compile("the instance admin's token \\(shown only now; keep it safe\\): "
            + "(vreg_\\S+)");

    /** The first command's second half, and the embedded default it starts: what README and getting started say. */
    @Test
    void theFirstCommandStartsTheEmbeddedDefaultWithTheBootstrapRegistry() throws Exception {
        List<Fence> readme = Fence.read(DocPage.README.path());
        String first = readme.get(0).text().strip();
        assertThat(first).as("the README's first command").startsWith("mvn -B -q -DskipTests package && ");
        String start = first.substring(first.indexOf("&& ") + 3);
        assertThat(start).isEqualTo("java -jar host-runtime/target/vreg.jar");
        assertThat(Fence.read(DocPage.GETTING_STARTED.path())).filteredOn(f -> f.language().equals("sh"))
                .first().satisfies(f -> assertThat(f.text().strip()).isEqualTo(first));

        Path clone = builtClone();
        int port = TestVreg.freePort();
        Path log = clone.resolve("vreg.log");
        Process vreg = bash(start, clone, log, port).start();
        try {
            String base = "http://127.0.0.1:" + port;
            DistributionIT.awaitReady(base + "/readyz", vreg, log, Duration.ofMinutes(3));
            String output = Files.readString(log);
            assertThat(output).contains(" listening on 127.0.0.1:" + port)
                    .contains("GOPROXY=" + base + "/go/default/main");
            Matcher token = ADMIN_TOKEN.matcher(output);
            assertThat(token.find()).as("the admin token is printed:\n" + output).isTrue();

            JsonObject main = new JsonObject(get(base + "/api/v1/groups/default/registries/main", token.group(1)));
            assertThat(main.getString("name")).isEqualTo("main");
            assertThat(main.getString("format")).isEqualTo("go");
            assertThat(main.getBoolean("public")).isTrue();
            JsonArray upstreams = new JsonObject(get(base + "/api/v1/groups/default/registries/main/upstreams",
                    token.group(1))).getJsonArray("upstreams");
            assertThat(upstreams).singleElement().satisfies(link ->
                    assertThat(((JsonObject) link).getString("url")).isEqualTo("https://proxy.golang.org"));
            for (String created : List.of("data/postgres", "data/blobs", "data/encryption.key", "data/tls")) {
                assertThat(clone.resolve(created)).as(created).exists();
            }
        } finally {
            stop(vreg, log);
        }
        assertThat(Files.readString(log)).contains("vreg stopped");
        assertThat(clone.resolve("data/postgres/postmaster.pid")).as("its PostgreSQL stopped with it").doesNotExist();
    }

    /** The throwaway instance for a script: a data directory from mktemp, a port and two upstreams, in order. */
    @Test
    void theThrowawayInstanceServesFromBothUpstreamsInOrder() throws Exception {
        Fence block = Fence.read(DocPage.README.path()).stream()
                .filter(f -> f.text().contains("VREG_GO_UPSTREAMS=")).findFirst().orElseThrow();
        GoModule internal = GoModule.builder("goproxy.internal.example/team/lib", "v1.0.0").build();
        GoModule public_ = GoModule.builder("example.com/public", "v1.2.0").build();
        Path clone = builtClone();
        Path tmp = Files.createDirectories(clone.resolve("tmp"));
        try (StaticGoProxy first = StaticGoProxy.start(Files.createDirectories(clone.resolve("up1")), internal);
             StaticGoProxy second = StaticGoProxy.start(Files.createDirectories(clone.resolve("up2")), public_)) {
            int port = TestVreg.freePort();
            String command = block.text().replace("18080", Integer.toString(port))
                    .replace("https://goproxy.internal.example", first.baseUrl())
                    .replace("https://proxy.golang.org", second.baseUrl());
            assertThat(command).as("the block as the README shows it, its addresses moved")
                    .contains("VREG_DATA_DIR=$(mktemp -d) VREG_HTTP_PORT=" + port)
                    .endsWith("java -jar host-runtime/target/vreg.jar\n");
            Path log = clone.resolve("vreg.log");
            ProcessBuilder builder = bash(command, clone, log, null);
            builder.environment().put("TMPDIR", tmp.toString());
            // The fixture upstreams listen on loopback, which upstreams may use only when the operator allows it.
            builder.environment().put("VREG_UPSTREAMS_ALLOWED_NETWORKS", "127.0.0.0/8");
            Process vreg = builder.start();
            try {
                String base = "http://127.0.0.1:" + port;
                DistributionIT.awaitReady(base + "/readyz", vreg, log, Duration.ofMinutes(3));
                Matcher token = ADMIN_TOKEN.matcher(Files.readString(log));
                assertThat(token.find()).isTrue();
                JsonArray upstreams = new JsonObject(get(base + "/api/v1/groups/default/registries/main/upstreams",
                        token.group(1))).getJsonArray("upstreams");
                assertThat(upstreams.stream().map(l -> ((JsonObject) l).getString("url")).toList())
                        .containsExactly(first.baseUrl(), second.baseUrl());

                GoTool go = GoTool.builder(Files.createDirectories(clone.resolve("go")))
                        .proxy(base + "/go/default/main").build();
                assertThat(go.modDownloadJson(internal.path() + "@" + internal.version())).singleElement()
                        .satisfies(d -> assertThat(d.sum()).isEqualTo(internal.zipHash()));
                assertThat(go.modDownloadJson(public_.path() + "@" + public_.version())).singleElement()
                        .satisfies(d -> assertThat(d.sum()).isEqualTo(public_.zipHash()));
            } finally {
                stop(vreg, log);
            }
            try (var made = Files.list(tmp)) {
                assertThat(made.filter(dir -> Files.isDirectory(dir.resolve("postgres"))).count())
                        .as("the data directory is the one mktemp made").isEqualTo(1);
            }
            assertThat(clone.resolve("data")).doesNotExist();
        }
    }

    /**
     * A fresh directory with what a clone has after the build, for commands run from its root: the build's
     * {@code host-runtime/target} (vreg.jar and lib/) and its {@code plugins}.
     */
    private static Path builtClone() throws Exception {
        Path clone = TestVreg.newDataDir();
        Path jar = Path.of(System.getProperty("vreg.jar")).toAbsolutePath();
        Files.createSymbolicLink(Files.createDirectories(clone.resolve("host-runtime")).resolve("target"),
                jar.getParent());
        Files.createSymbolicLink(clone.resolve("plugins"), TestVreg.pluginsDir().toAbsolutePath());
        return clone;
    }

    /**
     * {@code bash -c COMMAND} in {@code dir} with the test's Java first on the PATH and no vreg setting from the
     * environment; {@code port}, when given, moves the HTTP port. The TLS port is always moved.
     */
    private static ProcessBuilder bash(String command, Path dir, Path log, Integer port) {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("VREG_"));
        builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":"
                + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().put("JAVA_TOOL_OPTIONS", "-Xmx256m");
        if (port != null) {
            builder.environment().put("VREG_HTTP_PORT", port.toString());
        }
        builder.environment().put("VREG_TLS_PORT", Integer.toString(TestVreg.freePort()));
        return builder;
    }

    /** SIGTERM, as {@code kill <pid>} sends it: vreg exits with status 0. */
    private static void stop(Process vreg, Path log) throws Exception {
        vreg.destroy();
        assertThat(vreg.waitFor(60, TimeUnit.SECONDS)).as("vreg stops on SIGTERM").isTrue();
        assertThat(vreg.exitValue()).as("the exit status of a clean stop:\n" + Files.readString(log)).isZero();
    }

    private static String get(String url, String token) throws Exception {
        HttpResponse<String> answer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(url + ": " + answer.body()).isEqualTo(200);
        return answer.body();
    }
}
