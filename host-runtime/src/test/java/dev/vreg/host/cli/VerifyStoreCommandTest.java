package dev.vreg.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.VregServer;
import dev.vreg.host.support.StoreVerification;
import dev.vreg.host.support.StoreVerification.Run;
import dev.vreg.host.support.TestVreg;
import dev.vreg.testkit.go.FileContent;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.StaticGoProxy;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vreg verify-store} beside a running vreg: it names every cached file whose blob is damaged, missing or of
 * another size than recorded, exits 3 while they are left, and with {@code --repair} deletes them, after which the
 * node fetches each again and serves it whole.
 */
@Timeout(300)
class VerifyStoreCommandTest {

    @TempDir
    static Path temp;

    static final GoModule MODULE = GoModule.builder("example.com/verified", "v1.0.0")
            .file("data.bin", FileContent.pseudoRandom(21, 100 << 10)).stored().build();
    static final GoModule OTHER = GoModule.builder("example.com/other", "v1.0.0").build();

    static StaticGoProxy upstream;
    static Path dataDir;
    static VregServer vreg;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        upstream = StaticGoProxy.start(temp.resolve("upstream"), MODULE, OTHER);
        dataDir = TestVreg.newDataDir();
        vreg = TestVreg.start(TestVreg.config(dataDir, List.of(upstream.baseUrl())));
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

    @Test
    void damagedMissingAndMisrecordedBlobsAreReportedThenDeletedAndFetchedAgain() throws Exception {
        List<String> paths = List.of(MODULE.infoPath(), MODULE.modPath(), MODULE.zipPath(), OTHER.zipPath());
        for (String path : paths) {
            assertThat(get(path).body()).as(path).isEqualTo(upstreamBytes(path));
        }
        assertThat(verifyStore().exit()).isZero();

        Path zip = blob(MODULE.zipPath());
        try (FileChannel file = FileChannel.open(zip, StandardOpenOption.WRITE)) {
            file.write(java.nio.ByteBuffer.wrap("damage".getBytes()), 40_000);
        }
        try (FileChannel file = FileChannel.open(blob(MODULE.modPath()), StandardOpenOption.WRITE)) {
            file.truncate(0);
        }
        Files.delete(blob(OTHER.zipPath()));
        sql("UPDATE cache_entries SET size = size + 1 WHERE path = $1", MODULE.infoPath().substring(1));

        Run found = verifyStore();
        assertThat(found.exit()).as(found.err()).isEqualTo(VerifyStoreCommand.BAD_FILES_LEFT);
        List<String> lines = found.out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(line(lines, MODULE.zipPath())).contains("is damaged: " + upstreamBytes(MODULE.zipPath()).length
                + " bytes on disk");
        assertThat(line(lines, MODULE.modPath())).contains("is damaged: 0 bytes on disk ("
                + upstreamBytes(MODULE.modPath()).length + " recorded)");
        assertThat(line(lines, OTHER.zipPath())).contains("is missing");
        assertThat(line(lines, MODULE.infoPath())).contains("the entry records "
                + (upstreamBytes(MODULE.infoPath()).length + 1) + " bytes, but blob").contains("is intact");
        assertThat(found.err()).contains("checked 4 cached files in 4 blobs: 4 bad").contains("--repair");
        assertThat(contentEntries()).isEqualTo(4);

        Run repaired = verifyStore("--repair");
        assertThat(repaired.exit()).as(repaired.err()).isZero();
        assertThat(repaired.err()).contains("4 bad, deleted");
        assertThat(contentEntries()).isZero();
        assertThat(zip).doesNotExist();
        assertThat(blob(MODULE.modPath())).doesNotExist();
        // The .info blob itself was intact; only its entry was wrong.
        assertThat(blob(MODULE.infoPath())).hasBinaryContent(upstreamBytes(MODULE.infoPath()));
        // The damaged blobs' rows went with their entries; the intact one's row stays for the refetch to find.
        assertThat(blobRows(MODULE.zipPath())).isZero();
        assertThat(blobRows(MODULE.modPath())).isZero();
        assertThat(blobRows(OTHER.zipPath())).isZero();
        assertThat(blobRows(MODULE.infoPath())).isEqualTo(1);

        for (String path : paths) {
            // The node forgets its remembered hits when the repair's NOTIFY arrives; until then a hit on an intact
            // blob may still be served from the cache, whole.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            do {
                HttpResponse<byte[]> again = get(path);
                assertThat(again.statusCode()).as(path).isEqualTo(200);
                assertThat(again.body()).as(path).isEqualTo(upstreamBytes(path));
            } while (upstream.requestCount(path) < 2 && System.nanoTime() < deadline);
            assertThat(upstream.requestCount(path)).as(path).isEqualTo(2);
        }
        Run clean = verifyStore("--repair");
        assertThat(clean.exit()).as(clean.err()).isZero();
        assertThat(clean.out()).isEmpty();
        assertThat(clean.err()).contains("checked 4 cached files in 4 blobs: 0 bad");
    }

    private static String line(List<String> lines, String path) {
        return lines.stream().filter(l -> l.contains(" " + path.substring(1) + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + path + " in " + lines));
    }

    static Run verifyStore(String... extra) {
        List<String> args = new ArrayList<>(List.of("verify-store", "--data-dir", dataDir.toString()));
        args.addAll(List.of(extra));
        return StoreVerification.run(args.toArray(String[]::new));
    }

    private static HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(vreg.baseUrl() + "/go/default/main" + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] upstreamBytes(String path) throws IOException {
        return Files.readAllBytes(upstream.root().resolve(path.substring(1)));
    }

    private static Path blob(String path) throws Exception {
        String digest = digest(path);
        return vreg.config().blobDir().resolve("sha256").resolve(digest.substring(0, 2)).resolve(digest);
    }

    private static long blobRows(String path) throws Exception {
        return sql("SELECT count(*) FROM blobs WHERE digest = $1", digest(path)).get(0).getLong(0);
    }

    private static String digest(String path) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(upstreamBytes(path)));
    }

    private static long contentEntries() {
        return sql("SELECT count(*) FROM cache_entries WHERE kind = 'CONTENT'").get(0).getLong(0);
    }

    private static List<Row> sql(String query, Object... params) {
        try {
            List<Row> rows = new ArrayList<>();
            vreg.pool().preparedQuery(query).execute(Tuple.from(params)).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS).forEach(rows::add);
            return rows;
        } catch (Exception e) {
            throw new IllegalStateException("query failed: " + query, e);
        }
    }
}
