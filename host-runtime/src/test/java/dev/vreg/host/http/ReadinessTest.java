package dev.vreg.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.support.TestVreg;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /readyz} names each dependency: the database, the blob store, every plugin found and the schema's
 * migrations; one that is not fit makes the answer 503 with its reason, and the node is ready again once it is.
 */
@Timeout(180)
class ReadinessTest {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path temp;

    @Test
    void everyDependencyIsReportedAndASchemaBehindTheNodeOrAFailedMigrationIsNotReady() throws Exception {
        VregServer vreg = TestVreg.start(TestVreg.config(TestVreg.newDataDir(), List.of("http://127.0.0.1:9")));
        try {
            HttpResponse<String> ready = readyzOnceAnswered(vreg, 200);
            assertThat(ready.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
            JsonObject body = new JsonObject(ready.body());
            assertThat(body.getString("status")).isEqualTo("UP");
            JsonArray checks = body.getJsonArray("checks");
            assertThat(ids(checks)).containsExactlyInAnyOrder("database", "blobStore", "plugins", "migrations");
            assertThat(checks.stream().map(JsonObject.class::cast))
                    .allSatisfy(check -> assertThat(check.getString("status")).as(check.encode()).isEqualTo("UP"));
            JsonObject plugins = check(checks, "plugins");
            assertThat(ids(plugins.getJsonArray("checks"))).contains("go-format", "goproxy-upstream");
            assertThat(check(plugins.getJsonArray("checks"), "go-format").getJsonObject("data").getString("state"))
                    .isEqualTo("STARTED");
            JsonObject migrations = check(checks, "migrations").getJsonObject("data");
            String latest = latestMigration();
            assertThat(migrations.getString("schemaVersion")).isEqualTo(latest);
            assertThat(migrations.getString("nodeVersion")).isEqualTo(latest);

            // A database restored from a dump older than this node: its newest migration is not there.
            sql(vreg, "UPDATE flyway_schema_history SET version = '0." + latest + "' WHERE version = $1", latest);
            HttpResponse<String> behind = readyzOnceAnswered(vreg, 503);
            JsonObject down = check(new JsonObject(behind.body()).getJsonArray("checks"), "migrations");
            assertThat(down.getString("status")).isEqualTo("DOWN");
            assertThat(down.getJsonObject("data").getString("reason")).contains("this node needs " + latest);
            sql(vreg, "UPDATE flyway_schema_history SET version = $1 WHERE version = '0." + latest + "'", latest);
            assertThat(readyzOnceAnswered(vreg, 200).statusCode()).isEqualTo(200);

            sql(vreg, "UPDATE flyway_schema_history SET success = false WHERE version = $1", latest);
            HttpResponse<String> failed = readyzOnceAnswered(vreg, 503);
            assertThat(check(new JsonObject(failed.body()).getJsonArray("checks"), "migrations")
                    .getJsonObject("data").getString("reason")).contains("migration " + latest).contains("failed");
            sql(vreg, "UPDATE flyway_schema_history SET success = true WHERE version = $1", latest);
            assertThat(readyzOnceAnswered(vreg, 200).statusCode()).isEqualTo(200);
        } finally {
            vreg.close();
        }
    }

    @Test
    void aPluginThatDidNotStartMakesTheNodeNotReadyAndIsNamed() throws Exception {
        Path plugins = Files.createDirectories(temp.resolve("plugins"));
        try (Stream<Path> files = Files.list(TestVreg.pluginsDir())) {
            for (Path jar : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".jar"))::iterator) {
                Files.copy(jar, plugins.resolve(jar.getFileName()));
            }
        }
        writePlugin(plugins.resolve("future-plugin.jar"), "future-plugin", ">=9.0.0");
        VregConfig config = TestVreg.config(TestVreg.newDataDir(), List.of("http://127.0.0.1:9"));
        config.plugins.dir = plugins;
        VregServer vreg = TestVreg.start(config);
        try {
            HttpResponse<String> ready = readyzOnceAnswered(vreg, 503);
            JsonObject body = new JsonObject(ready.body());
            assertThat(check(body.getJsonArray("checks"), "database").getString("status")).isEqualTo("UP");
            JsonArray each = check(body.getJsonArray("checks"), "plugins").getJsonArray("checks");
            assertThat(check(each, "go-format").getString("status")).isEqualTo("UP");
            JsonObject future = check(each, "future-plugin");
            assertThat(future.getString("status")).isEqualTo("DOWN");
            assertThat(future.getJsonObject("data").getString("reason")).startsWith("plugin future-plugin is ");
            // The node still serves what its started plugins provide; only the balancer is told to prefer others.
            HttpResponse<String> live = HTTP.send(HttpRequest.newBuilder(URI.create(vreg.baseUrl() + "/healthz"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(live.statusCode()).isEqualTo(200);
        } finally {
            vreg.close();
        }
    }

    static HttpResponse<String> readyz(VregServer vreg) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(vreg.baseUrl() + "/readyz"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The first answer with {@code status}, asked for up to 30 s: each check has one second, and on a busy machine the
     * blob store's probe (a write and an fsync) can take longer, which is answered 500 rather than with the status.
     */
    static HttpResponse<String> readyzOnceAnswered(VregServer vreg, int status) throws Exception {
        HttpResponse<String> answer = readyz(vreg);
        for (long deadline = System.nanoTime() + 30_000_000_000L; answer.statusCode() != status
                && System.nanoTime() < deadline; answer = readyz(vreg)) {
            Thread.sleep(200);
        }
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        return answer;
    }

    static List<String> ids(JsonArray checks) {
        return checks.stream().map(c -> ((JsonObject) c).getString("id")).toList();
    }

    static JsonObject check(JsonArray checks, String id) {
        return checks.stream().map(JsonObject.class::cast).filter(c -> id.equals(c.getString("id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + id + " in " + checks.encode()));
    }

    /** The newest migration shipped with this build, from its file names. */
    static String latestMigration() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .map(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max(Integer::compare)
                    .map(String::valueOf).orElseThrow();
        }
    }

    static void sql(VregServer vreg, String query, Object... params) throws Exception {
        vreg.pool().preparedQuery(query).execute(Tuple.from(params)).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    static void writePlugin(Path jar, String id, String requires) throws IOException {
        Manifest manifest = new Manifest();
        Attributes attributes = manifest.getMainAttributes();
        attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.putValue("Plugin-Id", id);
        attributes.putValue("Plugin-Version", "1.0.0");
        attributes.putValue("Plugin-Requires", requires);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // A descriptor is all PF4J reads before it checks the version constraint.
        }
    }
}
