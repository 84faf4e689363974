package dev.vreg.upstream.gitlab;

import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.ArtifactRequest;
import dev.vreg.spi.AssetKind;
import dev.vreg.spi.Credentials;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamConfig;
import dev.vreg.spi.UpstreamResponse;
import dev.vreg.testkit.upstream.Await;
import dev.vreg.testkit.upstream.BodyReader;
import dev.vreg.testkit.upstream.TestPluginContext;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Opens GitLab clients against the stand-in and reads their answers. */
final class GitlabClientSupport {

    static final Duration WAIT = Duration.ofSeconds(60);

    private GitlabClientSupport() {
    }

    static JsonObject hostHint() {
        return new JsonObject().put("modulePaths", new JsonArray()
                .add(new JsonObject().put("prefix", TestProjects.HOST).put("namespace", "")));
    }

    static UpstreamClient open(Vertx vertx, URI url, Credentials credentials, JsonObject settings) {
        UpstreamConfig config = new UpstreamConfig("gitlab-test", GitlabUpstreamPlugin.KIND, url, credentials, settings,
                Duration.ofSeconds(10), Duration.ofSeconds(30));
        return new GitlabUpstreamPlugin().open(config, new TestPluginContext(vertx));
    }

    static ArtifactRef ref(String module, String version, String file) {
        String path = switch (file) {
            case "list" -> module + "/@v/list";
            case "latest" -> module + "/@latest";
            default -> module + "/@v/" + version + "." + file;
        };
        AssetKind kind = file.equals("list") || file.equals("latest") ? AssetKind.METADATA : AssetKind.CONTENT;
        return new ArtifactRef(path, kind, module, version, file);
    }

    static Buffer read(UpstreamClient client, String module, String version, String file) {
        UpstreamResponse response = Await.result(client.fetch(ArtifactRequest.of(ref(module, version, file))), WAIT);
        return Await.result(BodyReader.readAll(response), WAIT);
    }

    static Throwable failure(UpstreamClient client, String module, String version, String file) {
        return Await.failure(client.fetch(ArtifactRequest.of(ref(module, version, file))), WAIT);
    }

    static Path readZip(UpstreamClient client, String module, String version, Path dir) throws Exception {
        Path zip = Files.createTempFile(Files.createDirectories(dir), "module-", ".zip");
        Files.write(zip, read(client, module, version, "zip").getBytes());
        return zip;
    }
}
