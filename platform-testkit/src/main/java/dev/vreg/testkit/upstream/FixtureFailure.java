package dev.vreg.testkit.upstream;

import java.time.Duration;

/**
 * A misbehaviour an {@link UpstreamFixture} must be able to produce for one artifact, so the conformance suite can
 * check how an upstream client reports it.
 */
public enum FixtureFailure {

    /** Answer the upstream's "not found" (for HTTP upstreams: 404). */
    NOT_FOUND,

    /** Answer the upstream's "removed for good" (for HTTP upstreams: 410). */
    GONE,

    /** Answer a server error (for HTTP upstreams: 500). */
    SERVER_ERROR,

    /** Answer "credentials missing or wrong" (for HTTP upstreams: 401), whatever credentials were sent. */
    UNAUTHORIZED,

    /** Answer "known but not allowed" (for HTTP upstreams: 403). */
    FORBIDDEN,

    /**
     * Start a successful answer that declares a length of at least {@link #PARTIAL_BODY_BYTES} × 2 bytes, send at
     * least one and at most {@link #PARTIAL_BODY_BYTES} bytes of it, then close the connection.
     */
    RESET_MID_BODY,

    /**
     * Accept the request and send nothing at all, not even a status line, until the client gives up and closes the
     * connection.
     */
    STALL_BEFORE_HEADERS,

    /**
     * Start a successful answer like {@link #RESET_MID_BODY}, then send nothing more while keeping the connection
     * open until the client gives up.
     */
    STALL_MID_BODY,

    /**
     * Start a successful answer that declares {@link #PARTIAL_BODY_BYTES} × 4 bytes, then send them one at a time,
     * one every {@link #TRICKLE_PACE}: never silent for as long as a read timeout, yet far below any sane rate.
     */
    TRICKLE_BODY,

    /**
     * Start a successful answer of unknown length (for HTTP upstreams: chunked) and keep sending,
     * {@link #ENDLESS_CHUNK_BYTES} every {@link #ENDLESS_PACE}, never ending, until the client closes the connection.
     */
    ENDLESS_BODY;

    /** How many bytes a fixture sends at most before it resets or stalls mid-body. */
    public static final int PARTIAL_BODY_BYTES = 16 * 1024;

    /** How often a {@link #TRICKLE_BODY} sends its next byte. */
    public static final Duration TRICKLE_PACE = Duration.ofMillis(20);

    /** How much an {@link #ENDLESS_BODY} sends every {@link #ENDLESS_PACE}: 800 KiB a second. */
    public static final int ENDLESS_CHUNK_BYTES = 16 * 1024;

    /** How often an {@link #ENDLESS_BODY} sends its next chunk. */
    public static final Duration ENDLESS_PACE = Duration.ofMillis(20);
}
