package dev.vreg.spi;

/**
 * What went wrong, independent of any transport. The host maps each kind to a status code in one place.
 */
public enum ErrorKind {
    /** The artifact or resource does not exist (also: a request path that names nothing valid). */
    NOT_FOUND,
    /** The artifact existed once and has been removed for good. */
    GONE,
    /** Credentials are missing or were not accepted. */
    UNAUTHORIZED,
    /** The caller is known but may not do this (also: refused by a policy). */
    FORBIDDEN,
    /** The request itself is malformed. */
    INVALID,
    /** The request conflicts with the current state (duplicate, still in use, ...). */
    CONFLICT,
    /** A body exceeds a size limit. */
    TOO_LARGE,
    /** The resource exists but does not take this method (package endpoints are read with GET and HEAD only). */
    METHOD_NOT_ALLOWED,
    /** The request's body is of a media type the resource does not read. */
    UNSUPPORTED_MEDIA_TYPE,
    /** The caller asked for more than it is allowed to in a period; it may try again later. */
    TOO_MANY_REQUESTS,
    /** An upstream could not be reached, reset the connection or answered with a server error. */
    UPSTREAM_UNAVAILABLE,
    /**
     * An upstream was too slow: no connection or no answer within the timeouts, a body that fell silent, crawled
     * below the minimum rate or was still arriving at the deadline ({@link TransferLimits}).
     */
    UPSTREAM_TIMEOUT,
    /** An upstream answered, but with content that failed validation (bad zip, wrong hash, wrong module). */
    UPSTREAM_INVALID,
    /**
     * vreg's own storage could not do its part (a full or failing disk under the blob store): nothing was stored, and
     * the same request may succeed once the operator has fixed it. Never the upstream's fault.
     */
    STORAGE_UNAVAILABLE,
    /** A bug or an unexpected condition inside vreg. */
    INTERNAL
}
