package dev.vreg.host.pull;

/**
 * One {@code bytes=} range of a body of known size (RFC 9110 §14.1.2). Multiple ranges are not served: the request
 * is answered in full instead, which the RFC allows.
 */
public record ByteRange(long start, long end) {

    public static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

    public long length() {
        return end - start + 1;
    }

    /** The range asked for, {@link #UNSATISFIABLE}, or {@code null} to serve the whole body. */
    public static ByteRange parse(String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
            return null;
        }
        String spec = header.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String first = spec.substring(0, dash).trim();
            String last = spec.substring(dash + 1).trim();
            if (first.isEmpty()) {
                long suffix = Long.parseLong(last);
                if (suffix <= 0 || size == 0) {
                    return UNSATISFIABLE;
                }
                return new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long start = Long.parseLong(first);
            long end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
            if (start >= size || end < start) {
                return UNSATISFIABLE;
            }
            return new ByteRange(start, end);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
