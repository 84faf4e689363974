package dev.vreg.goproxy.client;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encodes a bang-escaped GOPROXY path the way the go command puts it on the wire: Go's
 * {@code url.PathEscape} applied to each {@code /}-separated element (cmd/go/internal/modfetch/proxy.go
 * {@code pathEscape}). Letters, digits and {@code - _ . ~ $ & + : = @} stay literal; everything else, including
 * {@code !}, {@code ;}, {@code ,}, {@code ?}, {@code %} and every byte of a non-ASCII character, becomes
 * {@code %XX} with upper-case hex. So {@code github.com/!burnt!sushi/toml/@v/v1.3.2.mod} is sent as
 * {@code github.com/%21burnt%21sushi/toml/@v/v1.3.2.mod}.
 */
public final class GoPathEscaper {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    // Go's shouldEscape(c, encodePathSegment) is false for these besides letters and digits.
    private static final String LITERAL_PUNCTUATION = "-_.~$&+:=@";

    private GoPathEscaper() {
    }

    /**
     * Escapes a relative path element by element.
     *
     * @throws IllegalArgumentException when the path is not relative and clean: it is empty, starts or ends with
     *                                  {@code /}, has an empty, {@code .} or {@code ..} element, or contains a
     *                                  control character
     */
    public static String escapePath(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("the path must be relative, without a leading or trailing slash");
        }
        StringBuilder out = new StringBuilder(path.length() + 16);
        for (String element : path.split("/", -1)) {
            if (element.isEmpty() || element.equals(".") || element.equals("..")) {
                throw new IllegalArgumentException("the path has an empty, '.' or '..' element");
            }
            if (out.length() > 0) {
                out.append('/');
            }
            appendEscapedSegment(element, out);
        }
        return out.toString();
    }

    /** Go's {@code url.PathEscape} for one element. */
    public static String escapeSegment(String segment) {
        StringBuilder out = new StringBuilder(segment.length() + 8);
        appendEscapedSegment(segment, out);
        return out.toString();
    }

    private static void appendEscapedSegment(String segment, StringBuilder out) {
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c < 0x20 || c == 0x7F) {
                throw new IllegalArgumentException("the path contains a control character");
            }
            if (isLiteral(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
    }

    private static boolean isLiteral(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || LITERAL_PUNCTUATION.indexOf(c) >= 0;
    }
}
