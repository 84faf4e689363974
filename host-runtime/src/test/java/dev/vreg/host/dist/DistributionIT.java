package dev.vreg.host.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.support.RawDownload;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.FileContent;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.StaticGoProxy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged distribution, started as a script would start a throwaway instance: environment variables only,
 * in a small heap, then stopped with SIGTERM.
 */
class DistributionIT {

    @TempDir
    Path temp;

    @Test
    void startsFromEnvironmentVariablesServesGoAndStopsCleanly() throws Exception {
        GoModule module = GoModule.builder("example.com/dist", "v1.0.0").build();
        Path dataDir = TestVreg.newDataDir();
        int port = TestVreg.freePort();
        Path log = temp.resolve("vreg.log");
        try (StaticGoProxy upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("up")), module)) {
            ProcessBuilder builder = vreg(log, "text");
            builder.environment().put("VREG_DATA_DIR", dataDir.toString());
            builder.environment().put("VREG_HTTP_PORT", Integer.toString(port));
            builder.environment().put("VREG_TLS_PORT", Integer.toString(TestVreg.freePort()));
            builder.environment().put("VREG_GO_UPSTREAMS", upstream.baseUrl());
            Process vreg = builder.start();
            try {
                String base = "http://127.0.0.1:" + port;
                awaitReady(base + "/readyz", vreg, log);
                assertThat(get(base + "/healthz").statusCode()).isEqualTo(200);
                // The API description is read from inside the jar.
                assertThat(get(base + "/api/v1/openapi.yaml").body()).startsWith("openapi: 3.1");
                assertThat(Files.readString(log)).contains("GOPROXY=" + base + "/go/default/main");

                GoTool go = GoTool.builder(temp).proxy(base + "/go/default/main").build();
                assertThat(go.modDownloadJson("example.com/dist@v1.0.0"))
                        .singleElement().satisfies(d -> assertThat(d.sum()).isEqualTo(module.zipHash()));
                assertThat(get(base + "/metrics").body()).contains("vreg_api_requests_seconds_count{status=\"2xx\"}")
                        .contains("vreg_upstream_fetches_in_flight 0.0");
            } finally {
                vreg.destroy();
                assertThat(vreg.waitFor(60, TimeUnit.SECONDS)).as("vreg stops on SIGTERM").isTrue();
            }
            assertThat(Files.readString(log)).contains("Stopping vreg");
            assertThat(postgresStillRunning(dataDir)).as("embedded PostgreSQL stopped with vreg").isFalse();
        }
    }

    @Test
    void theLauncherScriptRunsVregAndItsCommandsWithThePluginsBesideIt() throws Exception {
        Path launcher = Path.of(System.getProperty("vreg.jar")).resolveSibling("vreg");
        assertThat(Files.isExecutable(launcher)).as(launcher + " is executable").isTrue();
        Path help = temp.resolve("help.log");
        Process usage = new ProcessBuilder(launcher.toString(), "--help").redirectErrorStream(true)
                .redirectOutput(help.toFile()).start();
        assertThat(usage.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(usage.exitValue()).isZero();
        assertThat(Files.readString(help)).contains("run").contains("migrate").contains("token");

        Path migrateLog = temp.resolve("migrate.log");
        ProcessBuilder migrate = new ProcessBuilder(launcher.toString(), "migrate").redirectErrorStream(true)
                .redirectOutput(migrateLog.toFile()).directory(temp.toFile());
        migrate.environment().remove("VREG_DATABASE_URL");
        Process migrating = migrate.start();
        assertThat(migrating.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(migrating.exitValue()).isNotZero();
        assertThat(Files.readString(migrateLog)).contains("no database URL configured");

        int port = TestVreg.freePort();
        Path log = temp.resolve("launcher.log");
        Path dataDir = TestVreg.newDataDir();
        ProcessBuilder run = new ProcessBuilder(launcher.toString(), "run").redirectErrorStream(true)
                .redirectOutput(log.toFile()).directory(temp.toFile());
        run.environment().remove("VREG_PLUGINS_DIR");
        run.environment().put("JAVA_OPTS", "-Xmx256m");
        run.environment().put("VREG_DATA_DIR", dataDir.toString());
        run.environment().put("VREG_HTTP_PORT", Integer.toString(port));
        run.environment().put("VREG_TLS_PORT", Integer.toString(TestVreg.freePort()));
        run.environment().put("VREG_GO_UPSTREAMS", "http://127.0.0.1:9");
        Process vreg = run.start();
        try {
            String base = "http://127.0.0.1:" + port;
            awaitReady(base + "/readyz", vreg, log);
            // Started from another directory, it found the plugins placed beside the script.
            assertThat(get(base + "/readyz").body()).contains("\"go-format\"").contains("\"goproxy-upstream\"");
        } finally {
            vreg.destroy();
            assertThat(vreg.waitFor(60, TimeUnit.SECONDS)).as("vreg stops on SIGTERM").isTrue();
        }
        assertThat(Files.readString(log)).contains("Stopping vreg");
        assertThat(postgresStillRunning(dataDir)).isFalse();
    }

    @Test
    void theLauncherWritesAClassDataSharingArchiveOnceAndLaterStartsMapItsClasses() throws Exception {
        Path launcher = Path.of(System.getProperty("vreg.jar")).resolveSibling("vreg");
        Path dataDir = TestVreg.newDataDir();
        Path classes = temp.resolve("classes.log");
        long[] readyMillis = new long[3];
        for (int run = 0; run < 3; run++) {
            int port = TestVreg.freePort();
            Path log = temp.resolve("cds" + run + ".log");
            ProcessBuilder builder = new ProcessBuilder(launcher.toString()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).directory(temp.toFile());
            builder.environment().remove("VREG_PLUGINS_DIR");
            builder.environment().put("JAVA_OPTS", "-Xmx256m" + (run == 2
                    ? " -Xlog:class+load=info:file=" + classes : ""));
            builder.environment().put("VREG_DATA_DIR", dataDir.toString());
            builder.environment().put("VREG_HTTP_PORT", Integer.toString(port));
            builder.environment().put("VREG_TLS_PORT", Integer.toString(TestVreg.freePort()));
            builder.environment().put("VREG_GO_UPSTREAMS", "http://127.0.0.1:9");
            long started = System.nanoTime();
            Process vreg = builder.start();
            try {
                String base = "http://127.0.0.1:" + port;
                awaitReady(base + "/readyz", vreg, log);
                readyMillis[run] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                if (run == 0) {
                    awaitLine(log, "Wrote the class-data sharing archive", vreg);
                }
            } finally {
                vreg.destroy();
                assertThat(vreg.waitFor(60, TimeUnit.SECONDS)).as("vreg stops on SIGTERM").isTrue();
            }
            assertThat(vreg.exitValue()).isZero();
            assertThat(Files.readString(log)).as("the archive's own warnings stay out of the log")
                    .doesNotContain("[cds");
        }
        try (var archives = Files.list(dataDir)) {
            assertThat(archives.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jsa")))
                    .singleElement().satisfies(n -> assertThat(n).startsWith("vreg-"));
        }
        // The JVM says where each class came from: vreg's own and its libraries' come from the archive.
        assertThat(Files.readAllLines(classes)).anySatisfy(line -> assertThat(line)
                .contains("dev.vreg.host.VregServer ").contains("source: shared objects file"));
        System.out.printf("vreg start to ready through the launcher: %d ms writing the archive, then %d and %d ms"
                + " with it%n", readyMillis[0], readyMillis[1], readyMillis[2]);
    }

    private static void awaitLine(Path log, String text, Process vreg) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.readString(log).contains(text)) {
            if (System.nanoTime() > deadline || !vreg.isAlive()) {
                throw new AssertionError("no line with '" + text + "' in:\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }

    @Test
    void jsonLogsCarryFormattedMessagesRequestIdsAndExceptions() throws Exception {
        GoModule module = GoModule.builder("example.com/json", "v1.0.0").build();
        int port = TestVreg.freePort();
        Path log = temp.resolve("vreg.json.log");
        try (StaticGoProxy upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("up")), module)) {
            ProcessBuilder builder = vreg(log, "json");
            builder.environment().put("VREG_DATA_DIR", TestVreg.newDataDir().toString());
            builder.environment().put("VREG_HTTP_PORT", Integer.toString(port));
            builder.environment().put("VREG_GO_UPSTREAMS", upstream.baseUrl());
            // A generated admin token would be printed as a plain line.
            builder.environment().put("VREG_ADMIN_TOKEN", "vreg_json-logs-admin-token-0123456789abcdefg");
            Process vreg = builder.start();
            try {
                String base = "http://127.0.0.1:" + port;
                awaitReady(base + "/readyz", vreg, log);
                HttpResponse<String> zip = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                        .send(HttpRequest.newBuilder(URI.create(base + "/go/default/main" + module.zipPath()))
                                .header("X-Request-Id", "dist-json-1").timeout(Duration.ofSeconds(30)).build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(zip.statusCode()).isEqualTo(200);
                assertThat(zip.headers().firstValue("X-Request-Id")).hasValue("dist-json-1");
            } finally {
                vreg.destroy();
                assertThat(vreg.waitFor(60, TimeUnit.SECONDS)).as("vreg stops on SIGTERM").isTrue();
            }
        }
        List<JsonObject> lines = jsonLines(log);
        assertThat(lines).filteredOn(line -> line.getString("formattedMessage").startsWith("vreg ")
                        && line.getString("formattedMessage").contains(" listening on "))
                .singleElement().satisfies(line -> {
                    assertThat(line.getString("formattedMessage")).endsWith(" listening on 127.0.0.1:" + port)
                            .doesNotContain("{}");
                    assertThat(line.getString("level")).isEqualTo("INFO");
                    assertThat(line.getString("loggerName")).isEqualTo("dev.vreg.host.VregServer");
                    assertThat(line.getString("threadName")).isNotBlank();
                    assertThat(line.getLong("timestamp")).isCloseTo(System.currentTimeMillis(),
                            Offset.offset(600_000L));
                    assertThat(line.getJsonObject("mdc").getString("requestId")).isNull();
                });
        assertThat(lines).filteredOn(line -> line.getString("formattedMessage")
                        .startsWith("Cached " + module.zipPath().substring(1) + " from upstream"))
                .singleElement().satisfies(line -> assertThat(line.getJsonObject("mdc").getString("requestId"))
                        .isEqualTo("dist-json-1"));

        Path notADirectory = Files.writeString(temp.resolve("not-a-directory"), "");
        Path failedLog = temp.resolve("failed.json.log");
        ProcessBuilder failing = vreg(failedLog, "json");
        failing.environment().put("VREG_DATA_DIR", notADirectory.toString());
        Process failed = failing.start();
        assertThat(failed.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(failed.exitValue()).isEqualTo(1);
        assertThat(jsonLines(failedLog)).filteredOn(line -> line.getString("level").equals("ERROR"))
                .singleElement().satisfies(line -> {
                    assertThat(line.getString("formattedMessage"))
                            .isEqualTo("vreg could not start: " + notADirectory);
                    assertThat(line.getJsonObject("throwable").getString("className")).isNotBlank();
                    assertThat(line.getJsonObject("throwable").getJsonArray("stepArray")).isNotEmpty();
                });
    }

    @Test
    void aSigtermWritesWhatWasCountedBeforeTheDatabaseStops() throws Exception {
        GoModule module = GoModule.builder("example.com/counted", "v1.0.0").build();
        String token = "vreg_sigterm-admin-token-0123456789abcdefghijkl";
        Path dataDir = TestVreg.newDataDir();
        // Nothing is written by the timers: what the second start sees was written by the stop.
        Path config = Files.writeString(temp.resolve("vreg.yaml"), """
                cache:
                  downloadsFlushInterval: 1h
                auth:
                  lastUsedFlushInterval: 1h
                """);
        try (StaticGoProxy upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("up")), module)) {
            for (int run = 1; run <= 2; run++) {
                int port = TestVreg.freePort();
                Path log = temp.resolve("run" + run + ".log");
                ProcessBuilder builder = vreg(log, "text");
                builder.environment().put("VREG_CONFIG", config.toString());
                builder.environment().put("VREG_DATA_DIR", dataDir.toString());
                builder.environment().put("VREG_HTTP_PORT", Integer.toString(port));
                builder.environment().put("VREG_GO_UPSTREAMS", upstream.baseUrl());
                builder.environment().put("VREG_ADMIN_TOKEN", token);
                Process vreg = builder.start();
                try {
                    String base = "http://127.0.0.1:" + port;
                    awaitReady(base + "/readyz", vreg, log);
                    if (run == 1) {
                        for (int i = 0; i < 3; i++) {
                            assertThat(get(base + "/go/default/main" + module.zipPath()).statusCode()).isEqualTo(200);
                        }
                    } else {
                        long upstreamId = new JsonArray(get(base + "/api/v1/groups/default/upstreams", token).body())
                                .getJsonObject(0).getLong("id");
                        JsonObject entries = new JsonObject(get(base + "/api/v1/groups/default/upstreams/"
                                + upstreamId + "/cache?search=example.com/counted", token).body());
                        assertThat(entries.getJsonArray("entries").stream().map(JsonObject.class::cast)
                                .filter(e -> e.getString("path").endsWith(".zip")).findFirst().orElseThrow()
                                .getLong("downloadsCount")).isEqualTo(3);
                    }
                } finally {
                    vreg.destroy();
                    assertThat(vreg.waitFor(60, TimeUnit.SECONDS)).as("vreg stops on SIGTERM").isTrue();
                }
                assertThat(Files.readString(log)).as("the database outlives the connections to it")
                        .doesNotContain("terminating connection");
            }
        }
    }

    @Test
    void aSigtermLetsADownloadInFlightFinishRefusesNewConnectionsAndExitsZero() throws Exception {
        GoModule module = GoModule.builder("example.com/drained", "v1.0.0")
                .file("data.bin", FileContent.pseudoRandom(12, 100L << 20)).stored().build();
        String token = "vreg_drain-admin-token-0123456789abcdefghijklmn";
        String zip = "/go/default/main" + module.zipPath();
        Path dataDir = TestVreg.newDataDir();
        // The default grace period (30 s); download counts are written by the stop, not by a timer.
        Path config = Files.writeString(temp.resolve("vreg.yaml"), """
                cache:
                  downloadsFlushInterval: 1h
                """);
        try (StaticGoProxy upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("up")), module)) {
            for (int run = 1; run <= 2; run++) {
                int port = TestVreg.freePort();
                Path log = temp.resolve("drain" + run + ".log");
                ProcessBuilder builder = vreg(log, "text");
                builder.environment().put("VREG_CONFIG", config.toString());
                builder.environment().put("VREG_DATA_DIR", dataDir.toString());
                builder.environment().put("VREG_HTTP_PORT", Integer.toString(port));
                builder.environment().put("VREG_GO_UPSTREAMS", upstream.baseUrl());
                builder.environment().put("VREG_ADMIN_TOKEN", token);
                Process vreg = builder.start();
                String base = "http://127.0.0.1:" + port;
                try {
                    awaitReady(base + "/readyz", vreg, log);
                    if (run == 2) {
                        long upstreamId = new JsonArray(get(base + "/api/v1/groups/default/upstreams", token).body())
                                .getJsonObject(0).getLong("id");
                        JsonObject entries = new JsonObject(get(base + "/api/v1/groups/default/upstreams/"
                                + upstreamId + "/cache?search=example.com/drained", token).body());
                        assertThat(entries.getJsonArray("entries").stream().map(JsonObject.class::cast)
                                .filter(e -> e.getString("path").endsWith(".zip")).findFirst().orElseThrow()
                                .getLong("downloadsCount")).isEqualTo(2);
                    } else {
                        drainWhileStopping(vreg, port, base, zip);
                    }
                } finally {
                    if (vreg.isAlive()) {
                        vreg.destroy();
                        assertThat(vreg.waitFor(60, TimeUnit.SECONDS)).as("vreg stops on SIGTERM").isTrue();
                    }
                }
                assertThat(vreg.exitValue()).as("the exit code of a clean stop").isZero();
                assertThat(Files.readString(log)).contains("Stopping vreg").contains("vreg stopped")
                        .doesNotContain("terminating connection");
            }
        }
    }

    /**
     * Caches the zip, starts a download of it, sends SIGTERM in the middle, and reads the rest: all of it arrives
     * while new connections are refused, and vreg exits once it is sent.
     */
    private static void drainWhileStopping(Process vreg, int port, String base, String zip) throws Exception {
        String expected = sha256(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(URI.create(base + zip)).timeout(Duration.ofMinutes(3))
                        .build(), HttpResponse.BodyHandlers.ofInputStream()).body());
        try (RawDownload download = RawDownload.get(port, zip)) {
            assertThat(download.head()).startsWith("HTTP/1.1 200");
            long length = download.contentLength();
            assertThat(length).isGreaterThan(100L << 20);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long received = download.read(digest, 8L << 20, Duration.ofMillis(2));

            vreg.destroy();
            long signalled = System.nanoTime();
            assertThat(RawDownload.refusedWithin(port, Duration.ofSeconds(10)))
                    .as("new connections are refused while the download goes on").isTrue();
            assertThat(vreg.isAlive()).isTrue();
            // About 30 MiB/s: the rest takes a few seconds, well inside the grace period.
            received += download.read(digest, length - received, Duration.ofMillis(2));
            assertThat(received).isEqualTo(length);
            assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(expected);

            assertThat(vreg.waitFor(60, TimeUnit.SECONDS)).as("vreg stops after the download").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - signalled))
                    .isLessThan(Duration.ofSeconds(30 + 30));
        }
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (in) {
            in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), digest));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** {@code java -jar vreg.jar} with its output in {@code log} and logs in {@code format}. */
    private static ProcessBuilder vreg(Path log, String format) {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-jar", System.getProperty("vreg.jar"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("VREG_LOG_FORMAT", format);
        builder.environment().put("VREG_PLUGINS_DIR", TestVreg.pluginsDir().toString());
        // The fixture upstreams listen on loopback, which upstreams may use only when the operator allows it.
        builder.environment().put("VREG_UPSTREAMS_ALLOWED_NETWORKS", "127.0.0.0/8");
        return builder;
    }

    /** Every line of {@code log}, each of which must be one JSON object. */
    private static List<JsonObject> jsonLines(Path log) throws IOException {
        return Files.readAllLines(log).stream().filter(line -> !line.isBlank()).map(line -> {
            try {
                return new JsonObject(line);
            } catch (RuntimeException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
        }).toList();
    }

    private static boolean postgresStillRunning(Path dataDir) throws IOException {
        return Files.exists(dataDir.resolve("postgres").resolve("postmaster.pid"));
    }

    private static void awaitReady(String url, Process vreg, Path log) throws Exception {
        awaitReady(url, vreg, log, Duration.ofSeconds(120));
    }

    /** Waits for {@code url} to answer 200, failing with {@code log} when the process exits or the time is up. */
    static void awaitReady(String url, Process vreg, Path log, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!vreg.isAlive()) {
                throw new AssertionError("vreg exited early:\n" + Files.readString(log));
            }
            try {
                if (get(url).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        throw new AssertionError("vreg did not become ready:\n" + Files.readString(log));
    }

    static HttpResponse<String> get(String url) throws Exception {
        return get(url, null);
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request.build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
