package dev.vreg.host.proxy;

import dev.vreg.host.cache.CacheEntry;
import dev.vreg.host.cache.CacheRepository;
import dev.vreg.host.registry.Registry;
import dev.vreg.host.storage.ManagedBlobStore;
import dev.vreg.host.storage.StorageFailures;
import dev.vreg.host.storage.StorageFailures.Operation;
import dev.vreg.host.upstream.Upstream;
import dev.vreg.host.upstream.UpstreamClients;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.ArtifactRequest;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.FormatPlugin;
import dev.vreg.spi.UpstreamResponse;
import dev.vreg.spi.VregException;
import dev.vreg.spi.storage.BlobStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches one CONTENT artifact from one upstream and commits it to the cache: the body streams to a temporary file
 * (and to the waiting client, if any) while it is hashed, and checked by the format if it checks while streaming
 * ({@link StreamingCheck}), the event loop, the file and the check each on a thread of their own
 * ({@link TeeWriteStream}); once complete, and once the file is known to hold exactly the bytes received, the format
 * gives its verdict (from the stream, or by reading the file), the blob is pinned, and the file is moved into the
 * blob store and recorded, in that order. Any failure removes the temporary file and records nothing. A failure of the local store (a full disk) fails the fetch
 * as {@link ErrorKind#STORAGE_UNAVAILABLE}, so it is never taken for the upstream's fault or for a file the format
 * refused. A file refused (too large, or failing the format's check) is logged and counted in
 * {@code vreg.content.refused}, by upstream and reason: {@code too_large}, {@code invalid} or {@code checksum}
 * (refused by the {@link ContentGate}, the registry's checksum database).
 */
final class ContentFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(ContentFetcher.class);
    private static final String TOO_LARGE = "too_large";
    private static final String INVALID = "invalid";
    private static final String CHECKSUM = "checksum";

    private final Vertx vertx;
    private final UpstreamClients clients;
    private final BlobStore blobs;
    private final CacheRepository cache;
    private final StorageFailures storage;
    private final MeterRegistry meters;
    private final ContentGate gate;

    ContentFetcher(Vertx vertx, UpstreamClients clients, BlobStore blobs, CacheRepository cache,
                   StorageFailures storage, MeterRegistry meters, ContentGate gate) {
        this.vertx = vertx;
        this.clients = clients;
        this.blobs = blobs;
        this.cache = cache;
        this.storage = storage;
        this.meters = meters;
        this.gate = gate;
    }

    /**
     * @param client the response to stream to while fetching, or {@code null}. When the fetch succeeds the response
     *               has been completed; when it fails either nothing was written (the caller answers with an error)
     *               or the response was reset ({@link HttpServerResponse#headWritten()} tells which).
     */
    Future<CacheEntry> fetch(Registry registry, Upstream upstream, FormatPlugin format, ArtifactRef ref,
                             HttpServerResponse client) {
        long limit = format.maxContentLength(ref);
        return clients.clientFor(upstream).fetch(ArtifactRequest.of(ref)).compose(response -> {
            if (response.contentLength() > limit) {
                response.discard();
                VregException refused = VregException.upstreamInvalid("upstream " + upstream.name()
                        + " declares " + response.contentLength() + " bytes for " + ref.path()
                        + ", more than the limit of " + limit);
                refused(upstream, ref, TOO_LARGE, false, refused);
                return Future.failedFuture(refused);
            }
            return openTemp().onFailure(e -> {
                LOG.warn("Fetching {} from upstream {} failed: {}", ref.path(), upstream.name(), describe(e));
                response.discard();
            }).compose(temp -> {
                Context context = vertx.getOrCreateContext();
                StreamingCheck check = format.contentChecker(ref)
                        .map(checker -> new StreamingCheck(new SerialWorker(context), checker)).orElse(null);
                TeeWriteStream tee = new TeeWriteStream(new BodyFile(new SerialWorker(context), temp), client, limit,
                        storage, check);
                if (check == null) {
                    tee.checkWholeFileAtEnd(() -> format.check(ref, temp));
                }
                if (client != null) {
                    startResponse(client, format.contentType(ref), response.contentLength());
                }
                return stream(registry, upstream, format, ref, response, tee, check, temp, limit, client)
                        .onFailure(e -> {
                            if (e instanceof ChecksumRefusal) {
                                refused(upstream, ref, CHECKSUM, tee.clientHeadWritten(), e);
                            } else if (VregException.is(e, ErrorKind.UPSTREAM_INVALID)) {
                                refused(upstream, ref, tee.overLimit() ? TOO_LARGE : INVALID,
                                        tee.clientHeadWritten(), e);
                            } else {
                                LOG.warn("Fetching {} from upstream {} failed: {}", ref.path(), upstream.name(),
                                        describe(e));
                            }
                            response.discard();
                            tee.abortClient();
                            tee.closeFile().compose(v -> blobs.discard(temp));
                        });
            });
        });
    }

    /** A new temporary file of the store; the body's writer opens it. */
    private Future<Path> openTemp() {
        return blobs.createTemp().recover(e -> Future.failedFuture(storage.failed(Operation.CREATE, e)));
    }

    private Future<CacheEntry> stream(Registry registry, Upstream upstream, FormatPlugin format, ArtifactRef ref,
                                      UpstreamResponse response, TeeWriteStream tee, StreamingCheck streaming,
                                      Path temp, long limit, HttpServerResponse client) {
        return response.body().pipe().endOnFailure(false).to(tee)
                .recover(e -> Future.failedFuture(tee.overLimit()
                        ? VregException.upstreamInvalid("upstream " + upstream.name() + " sent more than the limit of "
                                + limit + " bytes for " + ref.path())
                        : e instanceof VregException ? e
                        : VregException.upstreamUnavailable("upstream " + upstream.name()
                        + " broke off while sending " + ref.path() + ": " + e.getMessage(), e)))
                .compose(v -> {
                    if (response.contentLength() >= 0 && tee.bytes() != response.contentLength()) {
                        return Future.failedFuture(VregException.upstreamUnavailable("upstream " + upstream.name()
                                + " sent " + tee.bytes() + " of " + response.contentLength() + " bytes for "
                                + ref.path(), null));
                    }
                    String digest = tee.sha256Hex();
                    return (streaming != null ? streaming.finish(temp) : tee.wholeFileCheck())
                            .compose(check -> gate.admit(registry, upstream, format, ref, check).map(check))
                            // Pinned before the bytes reach the store, so no collection deletes them before the
                            // entry that references them is committed; the commit takes the pin back.
                            .compose(check -> cache.pinBlob(digest, tee.bytes())
                                    .compose(pinned -> commit(temp, digest)
                                            .compose(x -> cache.commitContent(upstream.id(), ref, digest, tee.bytes(),
                                                    format.contentType(ref), check.attributes(), client != null))
                                            .onFailure(e -> cache.unpinBlob(digest))));
                })
                .compose(entry -> {
                    LOG.info("Cached {} from upstream {} ({} bytes)", ref.path(), upstream.name(), entry.size());
                    // The entry is ready for everyone now; the leader's own response completes at its pace.
                    // The blob is opened only when the client needs it: an object store's stream left unread
                    // would hold its connection.
                    tee.finish(vertx, () -> blobs.open(entry.blobDigest(), entry.size()), entry.etag())
                            .onFailure(e -> tee.abortClient());
                    return Future.succeededFuture(entry);
                });
    }

    /**
     * Logs and counts a refused file. When part of it had already streamed to the client, that download is broken
     * off; the refusal is remembered by the caller's chain, so the client's retry is told the reason.
     */
    private void refused(Upstream upstream, ArtifactRef ref, String reason, boolean streaming, Throwable e) {
        LOG.warn("Refused {} from upstream {}{}: {}", ref.path(), upstream.name(),
                streaming ? " while it was streaming to the client, whose download is broken off" : "",
                describe(e));
        Counter.builder("vreg.content.refused")
                .description("Files from upstreams refused before caching, by upstream and reason")
                .tag("upstream", upstream.name())
                .tag("reason", reason)
                .register(meters)
                .increment();
    }

    /**
     * The digest is of the bytes the tee wrote, and the tee saw all of them in the file, so a store
     * that would only read the whole file again to hash it skips that ({@link ManagedBlobStore#commitHashed}); every
     * commit failure is the store's.
     */
    private Future<Void> commit(Path temp, String digest) {
        Future<Void> committed = blobs instanceof ManagedBlobStore managed ? managed.commitHashed(temp, digest)
                : blobs.commit(temp, digest);
        return committed.recover(e -> Future.failedFuture(
                VregException.is(e, ErrorKind.STORAGE_UNAVAILABLE) ? e
                        : storage.failed(Operation.COMMIT, e)));
    }

    private static void startResponse(HttpServerResponse client, String contentType, long length) {
        client.setStatusCode(200);
        client.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
        if (length >= 0) {
            client.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
        } else {
            client.setChunked(true);
        }
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(" (").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage())
                    .append(')');
        }
        return text.toString();
    }
}
