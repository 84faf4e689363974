package dev.vreg.testkit.upstream;

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
    STALL_MID_BODY;

    /** How many bytes a fixture sends at most before it resets or stalls mid-body. */
    public static final int PARTIAL_BODY_BYTES = 16 * 1024;
}
