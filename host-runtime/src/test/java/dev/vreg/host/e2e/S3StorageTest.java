package dev.vreg.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.api.ApiClient;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.storage.s3.S3Server;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.FileContent;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.ModDownload;
import dev.vreg.testkit.go.StaticGoProxy;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * vreg on an S3 bucket, as an operator configures it: a real S3-compatible server (s3proxy, objects on disk), the
 * real go command downloading through vreg, a zip larger than one upload part, zips answered with presigned
 * redirects that go follows; once the upstream is gone everything is served from the bucket; purging the registry
 * empties the bucket.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3StorageTest {

    static final String ADMIN = "vreg_s3-test-admin-token-0123456789abcdefghijkl";
    static final String BUCKET = "vreg-cache";
    static final GoModule ALPHA = GoModule.builder("example.com/alpha", "v1.2.0").build();
    static final GoModule BIG = GoModule.builder("example.com/big", "v1.0.0")
            .file("data/blob.bin", FileContent.pseudoRandom(42, 12L << 20))
            .stored()
            .build();

    @TempDir
    static Path temp;

    static StaticGoProxy upstream;
    static S3Server s3;
    static VregServer vreg;
    static ApiClient api;
    static List<ModDownload> direct;

    @BeforeAll
    static void start() throws Exception {
        upstream = StaticGoProxy.start(Files.createDirectories(temp.resolve("upstream")), ALPHA, BIG);
        s3 = S3Server.onDisk(Files.createDirectories(temp.resolve("s3"))).bucket(BUCKET);
        VregConfig config = TestVreg.config(TestVreg.newDataDir(), List.of(upstream.baseUrl()));
        config.auth.adminToken = ADMIN;
        config.storage.type = "s3";
        config.storage.s3 = s3.settings(BUCKET, "prod/");
        config.storage.s3.presignedRedirects = true;
        vreg = TestVreg.start(config);
        api = new ApiClient(vreg.baseUrl());
        direct = go("direct", upstream.baseUrl()).modDownloadJson("example.com/alpha@v1.2.0", "example.com/big@v1.0.0");
    }

    @AfterAll
    static void stop() throws Exception {
        if (vreg != null) {
            vreg.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    static GoTool go(String name, String proxy) throws Exception {
        return GoTool.builder(Files.createDirectories(temp.resolve(name))).proxy(proxy).build();
    }

    static String goproxy() {
        return vreg.baseUrl() + "/go/default/main";
    }

    static List<String> objects() {
        return s3.keys(BUCKET);
    }

    @Test
    @Order(1)
    void goDownloadsThroughVregIntoTheBucket() throws Exception {
        List<ModDownload> viaVreg = go("first", goproxy())
                .modDownloadJson("example.com/alpha@v1.2.0", "example.com/big@v1.0.0");
        assertThat(viaVreg).extracting(ModDownload::error).containsOnlyNulls();
        assertThat(viaVreg).extracting(ModDownload::sum).containsExactlyElementsOf(
                direct.stream().map(ModDownload::sum).toList());
        assertThat(viaVreg).extracting(ModDownload::goModSum).containsExactlyElementsOf(
                direct.stream().map(ModDownload::goModSum).toList());
        assertThat(Files.size(Path.of(viaVreg.get(1).zip()))).isGreaterThan(10L << 20);

        // info, mod and zip of each: six blobs, all in the bucket under the prefix, none on the node's disk.
        assertThat(objects()).hasSize(6).allMatch(key -> key.matches("prod/sha256/[0-9a-f]{2}/[0-9a-f]{64}"));
        Path localBlobs = vreg.config().blobDir();
        assertThat(!Files.exists(localBlobs) || isEmpty(localBlobs)).as("local blob directory").isTrue();
        JsonObject storage = api.get("/api/v1/storage", ADMIN).json();
        assertThat(storage.getString("type")).isEqualTo("s3");
        assertThat(storage.getLong("blobs")).isEqualTo(6);
    }

    @Test
    @Order(2)
    void zipsAreRedirectsToPresignedUrlsOfTheBucket() throws Exception {
        HttpResponse<String> answer = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
                .send(HttpRequest.newBuilder(URI.create(goproxy() + "/" + BIG.zipPath().replaceFirst("^/", "")))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(307);
        String location = answer.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(s3.endpoint() + "/" + BUCKET + "/prod/sha256/").contains("X-Amz-Signature=");
        assertThat(answer.headers().firstValue("Cache-Control")).contains("no-store");
        HttpResponse<byte[]> object = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(location))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(object.statusCode()).isEqualTo(200);
        assertThat(object.body().length).isGreaterThan(10 << 20);
        // The .mod is small and streamed from the bucket through vreg.
        HttpResponse<String> mod = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(goproxy() + "/" + ALPHA.modPath().replaceFirst("^/", ""))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(mod.statusCode()).isEqualTo(200);
        assertThat(mod.body()).startsWith("module example.com/alpha");
    }

    @Test
    @Order(3)
    void withTheUpstreamGoneGoIsServedFromTheBucket() throws Exception {
        int before = upstream.totalRequests();
        upstream.stop();
        List<ModDownload> offline = go("offline", goproxy())
                .modDownloadJson("example.com/alpha@v1.2.0", "example.com/big@v1.0.0");
        assertThat(offline).extracting(ModDownload::error).containsOnlyNulls();
        assertThat(offline).extracting(ModDownload::sum).containsExactlyElementsOf(
                direct.stream().map(ModDownload::sum).toList());
        assertThat(upstream.totalRequests()).isEqualTo(before);
    }

    @Test
    @Order(4)
    void purgingTheRegistryEmptiesTheBucket() {
        ApiClient.Answer purged = api.delete("/api/v1/groups/default/registries/main/cache", ADMIN);
        assertThat(purged.status()).as(purged.body()).isEqualTo(200);
        assertThat(purged.json().getInteger("blobsDeleted")).isEqualTo(6);
        assertThat(purged.json().getLong("reclaimedBytes")).isGreaterThan(10L << 20);
        assertThat(objects()).as("objects after the purge").isEmpty();
        assertThat(api.get("/api/v1/storage", ADMIN).json().getLong("blobs")).isZero();
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.noneMatch(Files::isRegularFile);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
