package dev.vreg.spi;

import io.vertx.core.Future;

/**
 * A live connection to one configured upstream. Thread-safe; shared by every registry that uses the upstream.
 */
public interface UpstreamClient extends AutoCloseable {

    /**
     * Fetches one artifact.
     *
     * @return on success a response whose {@linkplain UpstreamResponse#body() body} is <em>paused</em>; the caller
     *         consumes or {@linkplain UpstreamResponse#discard() discards} it. On failure a {@link VregException}:
     *         {@link ErrorKind#NOT_FOUND} or {@link ErrorKind#GONE} when the upstream does not have it,
     *         {@link ErrorKind#UNAUTHORIZED}/{@link ErrorKind#FORBIDDEN} when it refused our credentials,
     *         {@link ErrorKind#UPSTREAM_UNAVAILABLE} for server errors and resets, {@link ErrorKind#UPSTREAM_TIMEOUT}
     *         when the upstream did not connect or answer within the timeouts. The body enforces the rest of
     *         {@link UpstreamConfig}: it fails with UPSTREAM_TIMEOUT when it falls silent for the read timeout, or
     *         breaks the {@link TransferLimits}.
     */
    Future<UpstreamResponse> fetch(ArtifactRequest request);

    /** Checks reachability, TLS and authentication; never fails, problems are reported in the result. */
    Future<ConnectionReport> testConnection();

    /** Releases connections. The client is unusable afterwards. */
    @Override
    void close();
}
