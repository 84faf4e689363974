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
     *         {@link ErrorKind#UPSTREAM_UNAVAILABLE} for server errors, resets and timeouts.
     */
    Future<UpstreamResponse> fetch(ArtifactRequest request);

    /** Checks reachability, TLS and authentication; never fails, problems are reported in the result. */
    Future<ConnectionReport> testConnection();

    /** Releases connections. The client is unusable afterwards. */
    @Override
    void close();
}
