package dev.vreg.upstream.gitlab;

import static dev.vreg.upstream.gitlab.TestProjects.HOST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.go.zip.ZipCheck;
import dev.vreg.go.zip.ZipLimits;
import dev.vreg.spi.ArtifactRequest;
import dev.vreg.spi.Credentials;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamResponse;
import dev.vreg.testkit.gitlab.GitLabStandIn;
import dev.vreg.testkit.gitlab.GitRepository;
import dev.vreg.testkit.go.GoTool;
import dev.vreg.testkit.go.GoToolBuilder;
import dev.vreg.testkit.go.ModDownload;
import dev.vreg.testkit.upstream.Await;
import io.vertx.core.Vertx;
import io.vertx.core.file.OpenOptions;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module of 100 MiB of incompressible data, under the 256 MiB heap the build gives the tests: archive and module
 * zip pass through files and streams, or this runs out of memory. The zip still hashes as the go command's own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargeModuleTest {

    private static final long SIZE = 100L << 20;
    private static final String TOKEN = "glpat-large-4242";
    private static final String MODULE = HOST + "/group/large";

    @TempDir
    static Path temp;

    private Vertx vertx;
    private GitLabStandIn gitlab;

    @BeforeAll
    void start() throws IOException {
        vertx = Vertx.vertx();
        GitRepository repo = GitRepository.init(temp.resolve("repos/large"));
        repo.write("go.mod", "module " + MODULE + "\n\ngo 1.21\n").write("large.go", "package large\n");
        writeRandom(repo.dir().resolve("data/blob.bin"), SIZE);
        repo.commit("large");
        repo.tag("v1.0.0");
        gitlab = GitLabStandIn.start();
        gitlab.project("group/large", repo, false);
        gitlab.personalToken(TOKEN, Set.of("read_api"), "group");
    }

    @AfterAll
    void stop() {
        gitlab.close();
        Await.result(vertx.close(), Duration.ofSeconds(20));
    }

    @Test
    void aLargeZipIsStreamedAndHashesAsTheGoCommandsOwn() throws Exception {
        Path zip = temp.resolve("large.zip");
        try (UpstreamClient client = GitlabClientSupport.open(vertx, gitlab.baseUrl(), Credentials.token(TOKEN),
                GitlabClientSupport.hostHint())) {
            UpstreamResponse response = Await.result(client.fetch(ArtifactRequest.of(
                    GitlabClientSupport.ref(MODULE, "v1.0.0", "zip"))), Duration.ofMinutes(5));
            assertThat(response.contentLength()).isGreaterThan(SIZE);
            Await.result(vertx.fileSystem().open(zip.toString(), new OpenOptions().setWrite(true).setCreate(true))
                    .compose(file -> response.body().pipeTo(file)), Duration.ofMinutes(5));
        }
        assertThat(Files.size(zip)).isGreaterThan(SIZE);

        Path gitConfig = gitlab.writeGitConfig(temp.resolve("gitconfig"));
        GoToolBuilder builder = GoTool.builder(temp.resolve("direct")).timeout(Duration.ofMinutes(10));
        for (Map.Entry<String, String> e : gitlab.goEnvironment(gitConfig).entrySet()) {
            builder.env(e.getKey(), e.getValue());
        }
        ModDownload direct = builder.build().modDownloadJson(MODULE + "@v1.0.0").get(0);
        assertThat(direct.error()).isNull();
        assertThat(new ZipCheck(ZipLimits.DEFAULT).check(MODULE, "v1.0.0", zip)).isEqualTo(direct.sum());
    }

    private static void writeRandom(Path file, long size) throws IOException {
        Files.createDirectories(file.getParent());
        SplittableRandom random = new SplittableRandom(7);
        byte[] chunk = new byte[1 << 16];
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            for (long written = 0; written < size; written += chunk.length) {
                for (int i = 0; i < chunk.length; i += 8) {
                    long r = random.nextLong();
                    for (int b = 0; b < 8; b++) {
                        chunk[i + b] = (byte) (r >>> (8 * b));
                    }
                }
                out.write(chunk);
            }
        }
    }
}
