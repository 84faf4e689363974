package dev.vreg.spi;

import java.time.Duration;

/**
 * A failure with a kind and a message that is safe to show to the client: it never contains credentials,
 * tokens or internal file paths. It may carry how long to wait before trying again, when whoever failed said so
 * (an upstream's {@code Retry-After}).
 */
public class VregException extends RuntimeException {

    private final ErrorKind kind;
    private final Duration retryAfter;

    public VregException(ErrorKind kind, String message) {
        this(kind, message, null);
    }

    public VregException(ErrorKind kind, String message, Throwable cause) {
        this(kind, message, cause, null);
    }

    private VregException(ErrorKind kind, String message, Throwable cause, Duration retryAfter) {
        super(message, cause, false, false);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public ErrorKind kind() {
        return kind;
    }

    /** How long to wait before trying again, if known; otherwise null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /**
     * The same failure (kind, message and cause) saying to try again after {@code delay}, or saying nothing about it
     * when {@code delay} is null. A subclass's own type is not kept.
     */
    public VregException withRetryAfter(Duration delay) {
        if (delay != null && delay.isNegative()) {
            throw new IllegalArgumentException("negative retry delay " + delay);
        }
        return new VregException(kind, getMessage(), getCause(), delay);
    }

    /** True if {@code failure} is a {@link VregException} of the given kind. */
    public static boolean is(Throwable failure, ErrorKind kind) {
        return failure instanceof VregException e && e.kind == kind;
    }

    public static VregException notFound(String message) {
        return new VregException(ErrorKind.NOT_FOUND, message);
    }

    public static VregException invalid(String message) {
        return new VregException(ErrorKind.INVALID, message);
    }

    public static VregException unauthorized(String message) {
        return new VregException(ErrorKind.UNAUTHORIZED, message);
    }

    public static VregException forbidden(String message) {
        return new VregException(ErrorKind.FORBIDDEN, message);
    }

    public static VregException conflict(String message) {
        return new VregException(ErrorKind.CONFLICT, message);
    }

    public static VregException upstreamUnavailable(String message, Throwable cause) {
        return new VregException(ErrorKind.UPSTREAM_UNAVAILABLE, message, cause);
    }

    public static VregException upstreamInvalid(String message) {
        return new VregException(ErrorKind.UPSTREAM_INVALID, message);
    }
}
