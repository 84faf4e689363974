package dev.vreg.spi;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A successful upstream answer. The body arrives paused and must be consumed exactly once, or discarded.
 */
public interface UpstreamResponse {

    /** True when the upstream confirmed the copy named by {@link ArtifactRequest#ifNoneMatch()}; the body is empty. */
    boolean notModified();

    /** The declared body length, or -1 when unknown (chunked). */
    long contentLength();

    /** The upstream's ETag, or {@code null}. */
    String etag();

    /**
     * The body, paused. Emits a {@link VregException} if the upstream connection fails mid-body (UPSTREAM_UNAVAILABLE)
     * or the body is too slow for the read timeout or the {@link TransferLimits} (UPSTREAM_TIMEOUT).
     */
    ReadStream<Buffer> body();

    /** Abandons the body and releases the connection. Safe to call more than once. */
    void discard();
}
