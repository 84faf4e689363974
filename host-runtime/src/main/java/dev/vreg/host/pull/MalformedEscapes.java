package dev.vreg.host.pull;

/**
 * Spots a request path whose percent-escapes are broken ({@code %zz}, a trailing {@code %}). The router refuses such
 * a path with a 400 before any handler sees it, but under a package endpoint it names no file, so it must be a 404:
 * anything else stops a go client's {@code ,}-separated GOPROXY list instead of letting it fall through.
 */
public final class MalformedEscapes {

    private MalformedEscapes() {
    }

    public static boolean in(String rawPath) {
        for (int i = rawPath.indexOf('%'); i >= 0; i = rawPath.indexOf('%', i + 1)) {
            if (i + 2 >= rawPath.length() || !isHex(rawPath.charAt(i + 1)) || !isHex(rawPath.charAt(i + 2))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
