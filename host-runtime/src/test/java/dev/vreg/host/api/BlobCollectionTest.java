package dev.vreg.host.api;

import static dev.vreg.host.api.AdminApiFixture.ADMIN;
import static dev.vreg.host.api.AdminApiFixture.expect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.testkit.go.FileContent;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.StaticGoProxy;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
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
 * Blobs are stored once per content and deleted once nothing references them: two upstreams serving the same module
 * share its blobs (the storage totals say how much that saved); purging one registry keeps them, purging the other
 * deletes their files, and the answer tells the reclaimed bytes; deleting an upstream or one entry collects in the
 * background; a manual collection adopts bytes without a record and removes old temporary files.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BlobCollectionTest {

    static final GoModule SHARED = GoModule.builder("example.com/shared", "v1.0.0")
            .file("data.bin", FileContent.pseudoRandom(7, 300_000)).build();
    static final GoModule LONE = GoModule.builder("example.com/lone", "v0.1.0").build();

    @TempDir
    static Path temp;

    static StaticGoProxy first;
    static StaticGoProxy second;
    static StaticGoProxy third;
    static AdminApiFixture f;
    static long thirdId;

    @BeforeAll
    static void start() throws Exception {
        first = StaticGoProxy.start(Files.createDirectories(temp.resolve("first")), SHARED);
        second = StaticGoProxy.start(Files.createDirectories(temp.resolve("second")), SHARED);
        third = StaticGoProxy.start(Files.createDirectories(temp.resolve("third")), LONE);
        f = new AdminApiFixture(config -> config.storage.collection.interval = Duration.ZERO);
        f.group("acme");
        long firstId = f.upstream("acme", first.baseUrl());
        long secondId = f.upstream("acme", second.baseUrl());
        thirdId = f.upstream("acme", third.baseUrl());
        for (String name : List.of("one", "two", "three")) {
            expect(f.api.post("/api/v1/groups/acme/registries", ADMIN, new JsonObject().put("name", name)
                    .put("format", "go").put("public", true)), 201);
        }
        link("one", firstId);
        link("two", secondId);
        link("three", thirdId);
    }

    static void link(String registry, long upstreamId) {
        expect(f.api.post("/api/v1/groups/acme/registries/" + registry + "/upstreams", ADMIN,
                new JsonObject().put("upstreamId", upstreamId)), 201);
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
        for (StaticGoProxy proxy : new StaticGoProxy[] {first, second, third}) {
            if (proxy != null) {
                proxy.close();
            }
        }
    }

    static long pull(String registry, GoModule module) {
        long bytes = 0;
        for (String path : List.of(module.infoPath(), module.modPath(), module.zipPath())) {
            ApiClient.Answer answer = f.api.get("/go/acme/" + registry + path, null);
            assertThat(answer.status()).isEqualTo(200);
            bytes += Long.parseLong(answer.header("Content-Length"));
        }
        return bytes;
    }

    static Path blobRoot() {
        return f.vreg.config().blobDir().resolve("sha256");
    }

    /** The blob files on disk. */
    static List<Path> blobFiles() {
        try (Stream<Path> files = Files.walk(blobRoot())) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonObject storage() {
        return expect(f.api.get("/api/v1/storage", ADMIN), 200);
    }

    static long sharedBytes;

    @Test
    @Order(1)
    void theSameBytesFromTwoUpstreamsAreStoredOnce() {
        sharedBytes = pull("one", SHARED);
        assertThat(pull("two", SHARED)).isEqualTo(sharedBytes);
        assertThat(blobFiles()).hasSize(3);
        JsonObject totals = storage();
        assertThat(totals.getString("type")).isEqualTo("filesystem");
        assertThat(totals.getLong("contentEntries")).isEqualTo(6);
        assertThat(totals.getLong("contentEntryBytes")).isEqualTo(2 * sharedBytes);
        assertThat(totals.getLong("blobs")).isEqualTo(3);
        assertThat(totals.getLong("blobBytes")).isEqualTo(sharedBytes);
        assertThat(totals.getLong("deduplicatedBytes")).isEqualTo(sharedBytes);
        assertThat(totals.getLong("unreferencedBlobs")).isZero();
    }

    @Test
    @Order(2)
    void purgingOneRegistryKeepsTheBlobsTheOtherStillUsesAndPurgingTheOtherDeletesThem() {
        JsonObject one = expect(f.api.delete("/api/v1/groups/acme/registries/one/cache", ADMIN), 200);
        assertThat(one.getInteger("deleted")).isGreaterThanOrEqualTo(3);
        assertThat(one.getInteger("blobsDeleted")).isZero();
        assertThat(one.getLong("reclaimedBytes")).isZero();
        assertThat(blobFiles()).hasSize(3);

        JsonObject two = expect(f.api.delete("/api/v1/groups/acme/registries/two/cache", ADMIN), 200);
        assertThat(two.getInteger("blobsDeleted")).isEqualTo(3);
        assertThat(two.getLong("reclaimedBytes")).isEqualTo(sharedBytes);
        assertThat(blobFiles()).as("blob files after both purges").isEmpty();

        JsonObject totals = storage();
        assertThat(totals.getLong("blobs")).isZero();
        assertThat(totals.getLong("blobBytes")).isZero();
        assertThat(totals.getJsonObject("lastCollection").getString("trigger")).isEqualTo("deletion");
        assertThat(totals.getLong("reclaimedBytesTotal")).isGreaterThanOrEqualTo(sharedBytes);

        // Fetched again afterwards, from the upstream, and stored again.
        assertThat(pull("two", SHARED)).isEqualTo(sharedBytes);
        assertThat(blobFiles()).hasSize(3);
    }

    @Test
    @Order(3)
    void deletingOneEntryOrAWholeUpstreamCollectsInTheBackground() throws Exception {
        pull("three", LONE);
        assertThat(blobFiles()).hasSize(6);
        JsonObject page = expect(f.api.get("/api/v1/groups/acme/upstreams/" + thirdId + "/cache", ADMIN), 200);
        JsonObject zip = page.getJsonArray("entries").stream().map(JsonObject.class::cast)
                .filter(e -> e.getString("path").endsWith(".zip")).findFirst().orElseThrow();
        Path zipBlob = blobRoot().resolve(zip.getString("blobDigest").substring(0, 2))
                .resolve(zip.getString("blobDigest"));
        assertThat(zipBlob).exists();
        assertThat(f.api.delete("/api/v1/groups/acme/upstreams/" + thirdId + "/cache/" + zip.getLong("id"), ADMIN)
                .status()).isEqualTo(204);
        waitFor(() -> !Files.exists(zipBlob));
        assertThat(blobFiles()).hasSize(5);

        assertThat(f.api.delete("/api/v1/groups/acme/registries/three/upstreams/" + thirdId, ADMIN).status())
                .isEqualTo(204);
        assertThat(blobFiles()).as("unlinking keeps the upstream's cache").hasSize(5);
        assertThat(f.api.delete("/api/v1/groups/acme/upstreams/" + thirdId, ADMIN).status()).isEqualTo(204);
        // The files go while the collector holds their rows, which go when its transaction commits.
        waitFor(() -> blobFiles().size() == 3 && storage().getLong("blobs") == 3);
    }

    @Test
    @Order(4)
    void aManualCollectionAdoptsOldBytesWithoutARecordAndRemovesOldTemporaryFiles() throws Exception {
        byte[] orphan = "bytes of a commit that never recorded its entry\n".getBytes();
        String digest = dev.vreg.host.storage.Hashes.sha256Hex(orphan);
        Path orphanFile = Files.createDirectories(blobRoot().resolve(digest.substring(0, 2))).resolve(digest);
        Files.write(orphanFile, orphan);
        Files.setLastModifiedTime(orphanFile, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        byte[] recent = "bytes a fetch is committing right now\n".getBytes();
        String recentDigest = dev.vreg.host.storage.Hashes.sha256Hex(recent);
        Path recentFile = Files.createDirectories(blobRoot().resolve(recentDigest.substring(0, 2)))
                .resolve(recentDigest);
        Files.write(recentFile, recent);
        Path tmp = f.vreg.config().blobDir().resolve("tmp");
        Path oldPart = Files.write(tmp.resolve("crashed.part"), new byte[1234]);
        Files.setLastModifiedTime(oldPart, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path freshPart = Files.write(tmp.resolve("downloading.part"), new byte[10]);

        JsonObject run = expect(f.api.post("/api/v1/storage/collections", ADMIN, new JsonObject()), 200);
        assertThat(run.getString("trigger")).isEqualTo("manual");
        assertThat(run.getInteger("orphansAdopted")).isEqualTo(1);
        assertThat(run.getInteger("blobsDeleted")).isEqualTo(1);
        assertThat(run.getLong("reclaimedBytes")).isEqualTo(orphan.length);
        assertThat(run.getInteger("temporaryFilesDeleted")).isEqualTo(1);
        assertThat(run.getLong("temporaryBytesDeleted")).isEqualTo(1234);
        assertThat(orphanFile).doesNotExist();
        assertThat(oldPart).doesNotExist();
        assertThat(recentFile).as("bytes younger than the grace period").exists();
        assertThat(freshPart).exists();
        assertThat(blobFiles()).hasSize(4);
        assertThat(storage().getJsonObject("lastCollection").getString("trigger")).isEqualTo("manual");
    }

    @Test
    @Order(5)
    void onlyTheInstanceAdminReadsOrCollectsStorage() {
        String owner = f.member("olga", "acme", "owner", "read", "write");
        assertThat(f.api.get("/api/v1/storage", owner).status()).isEqualTo(403);
        assertThat(f.api.post("/api/v1/storage/collections", owner, new JsonObject()).status()).isEqualTo(403);
        assertThat(f.api.get("/api/v1/storage", null).status()).isEqualTo(401);
        String adminWithoutScope = f.token("admin", "read", "write");
        assertThat(f.api.get("/api/v1/storage", adminWithoutScope).status()).isEqualTo(403);
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
