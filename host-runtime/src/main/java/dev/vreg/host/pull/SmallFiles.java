package dev.vreg.host.pull;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.cache.RemovalListener;
import dev.vreg.host.cache.CacheEntry;
import dev.vreg.spi.storage.BlobSource;
import dev.vreg.spi.storage.BlobStore;
import dev.vreg.spi.storage.MissingBlobException;
import io.netty.util.AsciiString;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.FileNotFoundException;
import java.nio.file.NoSuchFileException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Copies in memory of small cached files (a module's {@code .info} and {@code .mod} up to {@code maxFileBytes}), so that the files a go command asks for most often are answered without opening a file or
 * asking the object store, with their response headers encoded once. Bounded by {@code maxBytes} in all, the least
 * recently used dropped first; cached bytes never change, so a copy is right for as long as it is kept.
 */
public final class SmallFiles {

    /** No copies: every file is read from the blob store. */
    public static final SmallFiles NONE = new SmallFiles(null, 0, 0);

    /** What a copy costs besides its bytes (the key, the headers, the cache's own entry), for the bound. */
    private static final int OVERHEAD_BYTES = 256;

    /**
     * A copy with its headers, already encoded, and the addresses it is a {@link ReadyAnswers ready answer} at, which
     * go when the copy is dropped.
     */
    static final class Copy {
        private final Buffer body;
        private final AsciiString contentType;
        private final AsciiString etag;
        private final AsciiString contentLength;
        private final Set<String> answeredAt = ConcurrentHashMap.newKeySet(2);
        private volatile boolean dropped;

        Copy(Buffer body, AsciiString contentType, AsciiString etag, AsciiString contentLength) {
            this.body = body;
            this.contentType = contentType;
            this.etag = etag;
            this.contentLength = contentLength;
        }

        Buffer body() {
            return body;
        }

        AsciiString contentType() {
            return contentType;
        }

        AsciiString etag() {
            return etag;
        }

        AsciiString contentLength() {
            return contentLength;
        }

        /** Notes that {@code uri} answers with this copy; false when the copy was dropped meanwhile. */
        boolean answersAt(String uri) {
            answeredAt.add(uri);
            return !dropped;
        }
    }

    private record Key(long entryId, String digest) {
    }

    private final Vertx vertx;
    private final long maxFileBytes;
    private final Cache<Key, Copy> copies;
    private volatile Consumer<String> forgetAnswer = uri -> { };

    private SmallFiles(Vertx vertx, long maxFileBytes, long maxBytes) {
        this.vertx = vertx;
        this.maxFileBytes = maxFileBytes;
        this.copies = maxFileBytes <= 0 || maxBytes <= 0 ? null : CacheBuilder.newBuilder()
                .maximumWeight(maxBytes)
                .<Key, Copy>weigher((key, copy) -> copy.body().length() + OVERHEAD_BYTES)
                .concurrencyLevel(4)
                .removalListener((RemovalListener<Key, Copy>) removed -> dropped(removed.getValue()))
                .build();
    }

    /** A dropped copy is no answer anywhere any more, so that the bound holds for the ready answers too. */
    private void dropped(Copy copy) {
        if (copy == null) {
            return;
        }
        copy.dropped = true;
        copy.answeredAt.forEach(forgetAnswer);
    }

    /** Who forgets the ready answers at an address once the copy they send is dropped. */
    void onDropped(Consumer<String> forget) {
        this.forgetAnswer = forget;
    }

    /** Copies of files up to {@code maxFileBytes}, {@code maxBytes} in all; either 0 turns them off. */
    public static SmallFiles of(Vertx vertx, long maxFileBytes, long maxBytes) {
        return maxFileBytes <= 0 || maxBytes <= 0 ? NONE : new SmallFiles(vertx, maxFileBytes, maxBytes);
    }

    /**
     * Whether {@code entry} is kept in memory. Zips never are, whatever their size: they go out with zero-copy
     * {@code sendFile}, or as a redirect to the object store when it presigns them.
     */
    boolean holds(CacheEntry entry) {
        return copies != null && entry.size() <= maxFileBytes && !entry.path().endsWith(".zip");
    }

    /** The copy of {@code entry}, read from {@code blobs} the first time; a file that is gone is a missing blob. */
    Future<Copy> get(CacheEntry entry, BlobStore blobs) {
        Key key = new Key(entry.id(), entry.blobDigest());
        Copy copy = copies.getIfPresent(key);
        if (copy != null) {
            return Future.succeededFuture(copy);
        }
        return blobs.open(entry.blobDigest(), entry.size()).compose(this::read).transform(read -> {
            if (read.failed()) {
                return Future.failedFuture(missing(read.cause()) ? new MissingBlobException(entry.blobDigest())
                        : read.cause());
            }
            Buffer body = read.result();
            if (body.length() != entry.size()) {
                return Future.failedFuture(new MissingBlobException(entry.blobDigest()));
            }
            Copy made = new Copy(body, new AsciiString(entry.contentType()), new AsciiString(entry.etag()),
                    new AsciiString(Long.toString(entry.size())));
            copies.put(key, made);
            return Future.succeededFuture(made);
        });
    }

    private Future<Buffer> read(BlobSource source) {
        return readAll(vertx, source);
    }

    /** All of a small blob's bytes: a local file read at once, a stream gathered. */
    public static Future<Buffer> readAll(Vertx vertx, BlobSource source) {
        if (source instanceof BlobSource.LocalFile file) {
            return vertx.fileSystem().readFile(file.path().toString());
        }
        BlobSource.Stream stream = (BlobSource.Stream) source;
        Promise<Buffer> read = Promise.promise();
        Buffer body = Buffer.buffer((int) stream.length());
        stream.body().exceptionHandler(read::tryFail).endHandler(v -> read.tryComplete(body))
                .handler(body::appendBuffer).resume();
        return read.future();
    }

    private static boolean missing(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof NoSuchFileException || cause instanceof FileNotFoundException
                    || cause instanceof MissingBlobException) {
                return true;
            }
        }
        return false;
    }

    /** The copy of {@code entry} when it is held now, without reading anything. */
    Copy held(CacheEntry entry) {
        return copies == null ? null : copies.getIfPresent(new Key(entry.id(), entry.blobDigest()));
    }

    /** The bytes held now, for the documentation's bound and for tests. */
    long heldBytes() {
        return copies == null ? 0 : copies.asMap().values().stream().mapToLong(c -> c.body().length()).sum();
    }
}
