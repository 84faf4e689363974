package dev.vreg.spi;

/**
 * A failure with a kind and a message that is safe to show to the client: it never contains credentials,
 * tokens or internal file paths.
 */
public class VregException extends RuntimeException {

    private final ErrorKind kind;

    public VregException(ErrorKind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public VregException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
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
