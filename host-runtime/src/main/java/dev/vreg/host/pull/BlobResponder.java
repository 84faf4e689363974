package dev.vreg.host.pull;

import dev.vreg.host.cache.CacheEntry;
import dev.vreg.host.storage.ManagedBlobStore;
import dev.vreg.spi.storage.BlobSource;
import dev.vreg.spi.storage.BlobStore;
import dev.vreg.spi.storage.MissingBlobException;
import io.netty.util.AsciiString;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a cached CONTENT entry: zero-copy {@code sendFile} for local blobs, a stream for the others, a strong ETag,
 * conditional requests and single byte ranges, of either kind of blob (small files from their copies in memory,
 * {@link SmallFiles}) (the go command resumes interrupted downloads
 * with {@code Range} + {@code If-Range}). A local blob whose size on disk is not the recorded one is reported as
 * missing, so the caller fetches it again.
 */
public final class BlobResponder {

    private static final Logger LOG = LoggerFactory.getLogger(BlobResponder.class);

    private static final AsciiString BYTES = AsciiString.cached("bytes");
    private static final AsciiString IMMUTABLE = AsciiString.cached("public, max-age=31536000, immutable");

    private final BlobStore blobs;
    private final SmallFiles small;

    public BlobResponder(BlobStore blobs) {
        this(blobs, SmallFiles.NONE);
    }

    /** @param small the copies in memory of small files, shared by every listener of the node */
    public BlobResponder(BlobStore blobs, SmallFiles small) {
        this.blobs = blobs;
        this.small = small;
    }

    public Future<Void> send(HttpServerRequest request, CacheEntry entry) {
        HttpServerResponse response = request.response();
        if (small.holds(entry)) {
            return small.get(entry, blobs).compose(copy -> {
                copyHeaders(response, copy);
                if (copy.etag().contentEquals(request.getHeader(HttpHeaders.IF_NONE_MATCH))) {
                    return response.setStatusCode(304).end();
                }
                return serve(request, entry, copy);
            });
        }
        String etag = entry.etag();
        response.putHeader(HttpHeaders.CONTENT_TYPE, entry.contentType())
                .putHeader(HttpHeaders.ETAG, etag)
                .putHeader(HttpHeaders.ACCEPT_RANGES, "bytes")
                .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=31536000, immutable");
        if (etag.equals(request.getHeader(HttpHeaders.IF_NONE_MATCH))) {
            return response.setStatusCode(304).end();
        }
        if (blobs instanceof ManagedBlobStore managed && request.method() == HttpMethod.GET
                && entry.path().endsWith(".zip")) {
            return managed.downloadUrl(entry.blobDigest()).compose(url -> url == null
                    ? serve(request, entry, null)
                    : redirect(response, url));
        }
        return serve(request, entry, null);
    }

    /** The headers of a small file sent from its copy in memory, but its length. */
    static void copyHeaders(HttpServerResponse response, SmallFiles.Copy copy) {
        response.headers().set(HttpHeaders.CONTENT_TYPE, copy.contentType())
                .set(HttpHeaders.ETAG, copy.etag())
                .set(HttpHeaders.ACCEPT_RANGES, BYTES)
                .set(HttpHeaders.CACHE_CONTROL, IMMUTABLE);
    }

    /**
     * Sends the client to the object store for the bytes (a presigned URL, valid for a while): a temporary
     * redirect that no cache keeps, as the URL expires.
     */
    private static Future<Void> redirect(HttpServerResponse response, String url) {
        response.headers().remove(HttpHeaders.CONTENT_TYPE).remove(HttpHeaders.ACCEPT_RANGES);
        return response.setStatusCode(307)
                .putHeader(HttpHeaders.LOCATION, url)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .putHeader(HttpHeaders.CONTENT_LENGTH, "0")
                .end();
    }

    /** Sends the entry, or the byte range asked for, from {@code copy} when it is held in memory. */
    private Future<Void> serve(HttpServerRequest request, CacheEntry entry, SmallFiles.Copy copy) {
        HttpServerResponse response = request.response();
        String etag = entry.etag();
        long size = entry.size();
        ByteRange range = ByteRange.parse(request.getHeader("Range"), size);
        String ifRange = request.getHeader("If-Range");
        if (range != null && ifRange != null && !ifRange.equals(etag)) {
            range = null;
        }
        if (range == ByteRange.UNSATISFIABLE) {
            return response.setStatusCode(416).putHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + size).end();
        }
        long offset = range == null ? 0 : range.start();
        long length = range == null ? size : range.length();
        if (range != null) {
            response.setStatusCode(206).putHeader(HttpHeaders.CONTENT_RANGE,
                    "bytes " + range.start() + "-" + range.end() + "/" + size);
        }
        if (copy != null && range == null) {
            response.headers().set(HttpHeaders.CONTENT_LENGTH, copy.contentLength());
        } else {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
        }
        if (request.method() == HttpMethod.HEAD) {
            return response.end();
        }
        if (copy != null) {
            return response.end(range == null ? copy.body() : copy.body().slice((int) offset, (int) (offset + length)));
        }
        Future<BlobSource> opened = range == null
                ? blobs.open(entry.blobDigest(), size)
                : blobs.open(entry.blobDigest(), size, offset, length);
        return opened.compose(source -> {
            if (source instanceof BlobSource.LocalFile file) {
                long onDisk = sizeOnDisk(file.path());
                if (onDisk != file.size()) {
                    if (onDisk >= 0) {
                        LOG.warn("{}: blob {} is {} bytes on disk, {} recorded", entry.path(), file.digest(),
                                onDisk, file.size());
                    }
                    return Future.failedFuture(new MissingBlobException(file.digest()));
                }
                return response.sendFile(file.path().toString(), offset, length).recover(e ->
                        e instanceof FileNotFoundException || e instanceof NoSuchFileException
                                ? Future.failedFuture(new MissingBlobException(file.digest()))
                                : Future.failedFuture(e));
            }
            BlobSource.Stream stream = (BlobSource.Stream) source;
            // A store that opened more than the range (the whole blob) is narrowed here, by skipping and limiting.
            BlobSource.Stream body = stream.offset() == offset && stream.length() == length
                    ? stream
                    : stream.range(offset, length);
            return body.body().pipeTo(response);
        });
    }

    /**
     * The file's size, or -1 when it is not there. A blob that lost bytes (a disk that filled up under an older
     * version, a truncation by hand) would otherwise go out short of its Content-Length, which clients see as a
     * broken download that no retry mends; as a missing blob it is fetched again. On the event loop, like the open
     * that {@code sendFile} does right after it: one stat of a file about to be read costs less than a worker hop.
     */
    private static long sizeOnDisk(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).size();
        } catch (IOException e) {
            return -1;
        }
    }
}
