package dev.vreg.host.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.storage.ManagedBlobStore;
import dev.vreg.host.storage.ManagedBlobStoreContract;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import dev.vreg.spi.storage.MissingBlobException;
import dev.vreg.testkit.upstream.Await;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/** The blob store contract against a real S3-compatible server (s3proxy), under a key prefix, in parts of 5 MiB. */
class S3BlobStoreTest extends ManagedBlobStoreContract {

    private static S3Server server;

    @TempDir
    Path temp;

    private String bucket;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3Server.inMemory();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Override
    protected ManagedBlobStore store() {
        bucket = "vreg-" + UUID.randomUUID();
        server.bucket(bucket);
        return S3BlobStore.open(vertx(), server.settings(bucket, "blobs/"), temp.resolve("store-tmp"));
    }

    @Test
    void blobsAreObjectsUnderThePrefixAndTheirDigest() {
        byte[] bytes = "module example.com/s3\n".getBytes(StandardCharsets.UTF_8);
        String digest = commit(bytes);
        assertThat(server.keys(bucket)).containsExactly("blobs/sha256/" + digest.substring(0, 2) + "/" + digest);
        await(managed().delete(digest));
        assertThat(server.keys(bucket)).isEmpty();
    }

    @Test
    void anInterruptedUploadIsAbortedAndLeavesNothingInTheBucket() throws Exception {
        try (CuttingProxy proxy = new CuttingProxy(server.port(), 1 << 20)) {
            var settings = server.settings(bucket, "blobs/");
            settings.endpoint = proxy.endpoint();
            try (S3BlobStore cut = S3BlobStore.open(vertx(), settings, temp.resolve("cut-tmp"))) {
                for (long size : new long[] {LARGE_BYTES, 2L << 20}) {
                    Path file = await(cut.createTemp());
                    String digest = writeRandom(file, size);
                    Throwable failed = Await.failure(cut.commit(file, digest), WAIT);
                    assertThat(failed).isInstanceOfSatisfying(VregException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.STORAGE_UNAVAILABLE));
                    assertThat(failed.getMessage()).startsWith("the S3 blob store (bucket " + bucket + ") could not")
                            .doesNotContain(S3Server.SECRET_KEY);
                    assertThat(file).as("the temporary file, left for discard").exists();
                    await(cut.discard(file));
                    assertMissing(digest);
                }
            }
            assertThat(proxy.cuts()).isPositive();
        }
        assertThat(server.keys(bucket)).as("objects after the broken uploads").isEmpty();
        try (var client = server.client()) {
            assertThat(client.listMultipartUploads(b -> b.bucket(bucket)).get().uploads())
                    .as("multipart uploads after the broken one").isEmpty();
        }
    }

    @Test
    void anAbandonedMultipartUploadIsAbortedWithTheLeftovers() throws Exception {
        try (var client = server.client()) {
            String key = "blobs/sha256/ab/" + "ab".repeat(32);
            String uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key(key)).get().uploadId();
            client.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(1),
                    AsyncRequestBody.fromBytes(new byte[1024])).get();
            String other = client.createMultipartUpload(b -> b.bucket(bucket).key("elsewhere/file")).get().uploadId();
            ManagedBlobStore.Leftovers removed = await(managed().removeLeftovers(Instant.now().plusSeconds(5)));
            assertThat(removed.multipartUploads()).isEqualTo(1);
            assertThat(client.listMultipartUploads(b -> b.bucket(bucket)).get().uploads())
                    .as("uploads outside the store's prefix stay").singleElement()
                    .satisfies(u -> assertThat(u.uploadId()).isEqualTo(other));
            ManagedBlobStore.Leftovers none = await(managed().removeLeftovers(Instant.now().minusSeconds(3600)));
            assertThat(none.multipartUploads()).isZero();
        }
    }

    @Test
    void aPresignedUrlDownloadsTheObjectWithoutCredentials() throws Exception {
        var settings = server.settings(bucket, "blobs/");
        settings.presignedRedirects = true;
        settings.presignValidity = Duration.ofMinutes(2);
        byte[] bytes = "presigned bytes\n".getBytes(StandardCharsets.UTF_8);
        String digest = commit(bytes);
        try (S3BlobStore presigning = S3BlobStore.open(vertx(), settings, temp.resolve("presign-tmp"))) {
            String url = await(presigning.downloadUrl(digest));
            assertThat(url).startsWith(server.endpoint() + "/" + bucket + "/blobs/sha256/").contains("X-Amz-Signature=");
            HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(bytes);
            HttpResponse<byte[]> tampered = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(url.replace(digest, "00" + digest.substring(2)))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(tampered.statusCode()).isEqualTo(403);
        }
        assertThat(await(managed().downloadUrl(digest))).as("without presigned redirects").isNull();
    }

    @Test
    void aMissingBucketIsAStorageFailureNotAMissingBlob() {
        var settings = server.settings("no-such-bucket-" + UUID.randomUUID(), "");
        try (S3BlobStore missing = S3BlobStore.open(vertx(), settings, temp.resolve("missing-tmp"))) {
            Throwable probe = Await.failure(missing.probe(), WAIT);
            assertThat(probe).isInstanceOfSatisfying(VregException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.STORAGE_UNAVAILABLE));
            Throwable read = Await.failure(missing.open("ab".repeat(32), 10), WAIT);
            assertThat(read).isNotInstanceOf(MissingBlobException.class);
        }
    }

    private static String writeRandom(Path file, long size) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Random random = new Random(size);
        byte[] chunk = new byte[64 * 1024];
        try (var out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; ) {
                int n = (int) Math.min(chunk.length, size - written);
                random.nextBytes(chunk);
                sha256.update(chunk, 0, n);
                out.write(chunk, 0, n);
                written += n;
            }
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

}
