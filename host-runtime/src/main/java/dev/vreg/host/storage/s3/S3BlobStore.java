package dev.vreg.host.storage.s3;

import dev.vreg.host.config.VregConfig;
import dev.vreg.host.storage.ManagedBlobStore;
import dev.vreg.host.storage.TempFiles;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import dev.vreg.spi.storage.BlobSource;
import dev.vreg.spi.storage.MissingBlobException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.FileRequestBodyConfiguration;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.ResponsePublisher;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Blobs as objects {@code <prefix>sha256/<2 hex>/<digest>} of one bucket, through the AWS SDK's asynchronous client
 * (Netty): uploads stream from the local temporary file, in parts past {@code partSize} (an upload that fails is
 * aborted); reads stream the object, a range with an HTTP {@code Range} request. Every SDK future is brought back
 * onto the Vert.x context that asked, so callers continue on their event loop and nothing waits on one.
 *
 * <p>Temporary files are local ({@code tempDir}), as the SPI wants them; a commit hashes the file again, uploads it
 * unless the object is already there (same digest, same bytes) and then deletes it. An object becomes visible only
 * when its PUT or its multipart upload completes, so readers never see a part.
 */
public final class S3BlobStore implements ManagedBlobStore {

    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");
    /** S3 lists at most this many keys a page. */
    private static final int LIST_PAGE = 1000;

    private final Vertx vertx;
    private final S3AsyncClient client;
    private final S3Presigner presigner;
    private final String bucket;
    private final String prefix;
    private final long partSize;
    private final Duration presignValidity;
    private final TempFiles temps;

    private S3BlobStore(Vertx vertx, S3AsyncClient client, S3Presigner presigner, VregConfig.S3 settings,
                        TempFiles temps) {
        this.vertx = vertx;
        this.client = client;
        this.presigner = presigner;
        this.bucket = settings.bucket;
        this.prefix = normalizedPrefix(settings.prefix);
        this.partSize = settings.partSize;
        this.presignValidity = settings.presignValidity;
        this.temps = temps;
    }

    /** Builds the client and prepares {@code tempDir}, removing what a previous run left there. Blocking. */
    public static S3BlobStore open(Vertx vertx, VregConfig.S3 settings, Path tempDir) {
        AwsCredentialsProvider credentials = settings.accessKeyId != null && !settings.accessKeyId.isBlank()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId,
                        settings.secretAccessKey))
                : DefaultCredentialsProvider.builder().build();
        Region region = Region.of(settings.region);
        var builder = S3AsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(128))
                .region(region)
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle)
                // Checksums only where S3 requires them: many S3-compatible servers refuse the trailing kind.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        S3Presigner presigner = null;
        if (settings.presignedRedirects) {
            var presign = S3Presigner.builder().region(region).credentialsProvider(credentials)
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle)
                            .build());
            if (settings.endpoint != null && !settings.endpoint.isBlank()) {
                presign.endpointOverride(URI.create(settings.endpoint));
            }
            presigner = presign.build();
        }
        if (settings.endpoint != null && !settings.endpoint.isBlank()) {
            builder.endpointOverride(URI.create(settings.endpoint));
        }
        return new S3BlobStore(vertx, builder.build(), presigner, settings, TempFiles.open(vertx, tempDir));
    }

    private static String normalizedPrefix(String prefix) {
        if (prefix == null || prefix.isBlank()) {
            return "";
        }
        String p = prefix.strip().replaceAll("^/+", "");
        return p.endsWith("/") ? p : p + "/";
    }

    /** The object key of blob {@code digest}. */
    public String key(String digest) {
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("not a sha256 digest: " + digest);
        }
        return prefix + "sha256/" + digest.substring(0, 2) + "/" + digest;
    }

    public String bucket() {
        return bucket;
    }

    @Override
    public Future<Path> createTemp() {
        return temps.create();
    }

    @Override
    public Future<Void> discard(Path temp) {
        return temps.delete(temp);
    }

    @Override
    public Future<Void> commit(Path temp, String digest) {
        String key = key(digest);
        return temps.verify(temp, digest)
                .compose(size -> exists(key).compose(present -> present ? Future.succeededFuture()
                        : size > partSize ? uploadInParts(temp, key, size) : uploadWhole(temp, key, size)))
                .compose(v -> temps.delete(temp));
    }

    private Future<Boolean> exists(String key) {
        return call("look for a blob", () -> client.headObject(b -> b.bucket(bucket).key(key)))
                .map(true)
                .recover(e -> isNotFound(e) ? Future.succeededFuture(false) : Future.failedFuture(e));
    }

    private Future<Void> uploadWhole(Path temp, String key, long size) {
        return call("upload a blob", () -> client.putObject(b -> b.bucket(bucket).key(key).contentLength(size)
                .contentType("application/octet-stream"), AsyncRequestBody.fromFile(temp))).mapEmpty();
    }

    /** A multipart upload, part after part from the file; aborted when any step fails. */
    private Future<Void> uploadInParts(Path temp, String key, long size) {
        return call("start a multipart upload", () -> client.createMultipartUpload(b -> b.bucket(bucket).key(key)
                .contentType("application/octet-stream")))
                .compose(created -> {
                    String uploadId = created.uploadId();
                    List<CompletedPart> parts = new ArrayList<>();
                    return uploadPart(temp, key, uploadId, size, 1, parts)
                            .compose(v -> call("complete a multipart upload", () -> client.completeMultipartUpload(
                                    b -> b.bucket(bucket).key(key).uploadId(uploadId)
                                            .multipartUpload(CompletedMultipartUpload.builder().parts(parts)
                                                    .build()))))
                            .<Void>mapEmpty()
                            .recover(e -> call("abort a multipart upload", () -> client.abortMultipartUpload(
                                    b -> b.bucket(bucket).key(key).uploadId(uploadId)))
                                    .transform(aborted -> Future.<Void>failedFuture(e)));
                });
    }

    private Future<Void> uploadPart(Path temp, String key, String uploadId, long size, int number,
                                    List<CompletedPart> parts) {
        long position = (number - 1) * partSize;
        if (position >= size) {
            return Future.succeededFuture();
        }
        long length = Math.min(partSize, size - position);
        return call("upload a part", () -> client.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                        .partNumber(number).contentLength(length),
                AsyncRequestBody.fromFile(FileRequestBodyConfiguration.builder().path(temp).position(position)
                        .numBytesToRead(length).build())))
                .compose(uploaded -> {
                    parts.add(CompletedPart.builder().partNumber(number).eTag(uploaded.eTag()).build());
                    return uploadPart(temp, key, uploadId, size, number + 1, parts);
                });
    }

    @Override
    public Future<BlobSource> open(String digest, long size) {
        return get(digest, size, null, 0, size);
    }

    @Override
    public Future<BlobSource> open(String digest, long size, long offset, long length) {
        if (length <= 0 || offset < 0 || offset > size - length) {
            throw new IllegalArgumentException("bytes " + offset + " to " + (offset + length - 1)
                    + " are not inside a blob of " + size + " bytes");
        }
        if (offset == 0 && length == size) {
            return open(digest, size);
        }
        return get(digest, size, "bytes=" + offset + "-" + (offset + length - 1), offset, length);
    }

    private Future<BlobSource> get(String digest, long size, String range, long offset, long length) {
        String key = key(digest);
        Context context = vertx.getOrCreateContext();
        if (size == 0) {
            // An empty object has no byte to ask for; it is there or not.
            return size(digest).map(stored -> new BlobSource.Stream(new PublisherReadStream(context, subscriber -> {
                subscriber.onSubscribe(new org.reactivestreams.Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                    }
                });
                subscriber.onComplete();
            }), 0));
        }
        return call("read a blob", () -> client.getObject(b -> b.bucket(bucket).key(key).range(range),
                AsyncResponseTransformer.<GetObjectResponse>toPublisher()))
                .recover(e -> Future.failedFuture(isNotFound(e) ? new MissingBlobException(digest) : e))
                .map(published -> stream(context, published, size, offset, length));
    }

    private static BlobSource stream(Context context, ResponsePublisher<GetObjectResponse> published, long size,
                                     long offset, long length) {
        return new BlobSource.Stream(new PublisherReadStream(context, published), size, offset, length);
    }

    @Override
    public Future<Long> size(String digest) {
        String key = key(digest);
        return call("look for a blob", () -> client.headObject(b -> b.bucket(bucket).key(key)))
                .map(head -> head.contentLength())
                .recover(e -> Future.failedFuture(isNotFound(e) ? new MissingBlobException(digest) : e));
    }

    @Override
    public Future<Void> delete(String digest) {
        String key = key(digest);
        return call("delete a blob", () -> client.deleteObject(b -> b.bucket(bucket).key(key)))
                .<Void>mapEmpty()
                .recover(e -> isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    /** The bucket answers, and this node can still write its local temporary files. */
    @Override
    public Future<Void> probe() {
        return temps.probe().compose(v -> call("reach its bucket", () -> client.headBucket(b -> b.bucket(bucket))))
                .mapEmpty();
    }

    @Override
    public Future<List<StoredObject>> list(String after, int limit) {
        String start = after == null || after.isEmpty() ? null : key(after);
        String listed = prefix + "sha256/";
        return call("list blobs", () -> client.listObjectsV2(b -> b.bucket(bucket).prefix(listed)
                        .startAfter(start).maxKeys(Math.min(limit, LIST_PAGE))))
                .map(page -> {
                    List<StoredObject> objects = new ArrayList<>();
                    for (S3Object object : page.contents()) {
                        String digest = object.key().substring(object.key().lastIndexOf('/') + 1);
                        if (DIGEST.matcher(digest).matches() && object.key().equals(key(digest))) {
                            objects.add(new StoredObject(digest, object.size(), object.lastModified()));
                        }
                    }
                    return objects;
                });
    }

    /** Local temporary files, then the bucket's multipart uploads under this store's keys begun before then. */
    @Override
    public Future<Leftovers> removeLeftovers(Instant before) {
        return temps.removeOlderThan(before).compose(files -> abortUploads(before, null, null, 0)
                .map(aborted -> new Leftovers(files.temporaryFiles(), files.temporaryBytes(), aborted)));
    }

    private Future<Integer> abortUploads(Instant before, String keyMarker, String uploadIdMarker, int abortedSoFar) {
        return call("list multipart uploads", () -> client.listMultipartUploads(b -> b.bucket(bucket)
                        .prefix(prefix + "sha256/").keyMarker(keyMarker).uploadIdMarker(uploadIdMarker)))
                .compose(page -> {
                    List<Future<Void>> aborts = new ArrayList<>();
                    for (MultipartUpload upload : page.uploads()) {
                        if (upload.initiated() != null && upload.initiated().isBefore(before)) {
                            aborts.add(call("abort a multipart upload", () -> client.abortMultipartUpload(
                                    b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId())))
                                    .mapEmpty());
                        }
                    }
                    int aborted = abortedSoFar + aborts.size();
                    return Future.all(aborts).compose(v -> Boolean.TRUE.equals(page.isTruncated())
                            ? abortUploads(before, page.nextKeyMarker(), page.nextUploadIdMarker(), aborted)
                            : Future.succeededFuture(aborted));
                });
    }

    /** A presigned GET of the object; signing may resolve credentials (instance metadata), so off the event loop. */
    @Override
    public Future<String> downloadUrl(String digest) {
        if (presigner == null) {
            return Future.succeededFuture(null);
        }
        String key = key(digest);
        return vertx.executeBlocking(() -> presigner.presignGetObject(p -> p.signatureDuration(presignValidity)
                .getObjectRequest(g -> g.bucket(bucket).key(key))).url().toString(), false);
    }

    @Override
    public void close() {
        client.close();
        if (presigner != null) {
            presigner.close();
        }
    }

    /**
     * Runs an SDK call and brings its outcome back onto the caller's Vert.x context; an SDK failure becomes a
     * {@link ErrorKind#STORAGE_UNAVAILABLE} that says what the store was doing and S3's reason (no credentials, no
     * signature, no URL with a query). A 404 keeps its {@link S3Exception} for the caller to tell missing objects.
     */
    private <T> Future<T> call(String doing, Supplier<CompletableFuture<T>> request) {
        Context context = vertx.getOrCreateContext();
        CompletableFuture<T> started;
        try {
            started = request.get();
        } catch (RuntimeException e) {
            return Future.failedFuture(failure(doing, e));
        }
        return Future.fromCompletionStage(started, context)
                .recover(e -> Future.failedFuture(isNotFound(e) ? unwrap(e) : failure(doing, e)));
    }

    private VregException failure(String doing, Throwable e) {
        Throwable cause = unwrap(e);
        if (cause instanceof VregException v) {
            return v;
        }
        String reason;
        if (cause instanceof S3Exception s3 && s3.awsErrorDetails() != null) {
            reason = "HTTP " + s3.statusCode() + " " + s3.awsErrorDetails().errorCode();
        } else if (cause instanceof SdkClientException client) {
            reason = client.getMessage();
        } else {
            reason = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        }
        return new VregException(ErrorKind.STORAGE_UNAVAILABLE, "the S3 blob store (bucket " + bucket
                + ") could not " + doing + ": " + reason, cause);
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static boolean isNotFound(Throwable e) {
        Throwable t = unwrap(e);
        return t instanceof S3Exception s3 && s3.statusCode() == 404
                && !"NoSuchBucket".equals(s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode());
    }
}
