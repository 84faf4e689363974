package dev.vreg.go.module;

import java.util.Optional;

/**
 * GOPRIVATE-style module path patterns ({@code module.MatchPrefixPatterns}): a comma-separated list of globs, each
 * matched against the leading path elements of a module path, as many elements as the glob has.
 */
public final class PathPatterns {

    private PathPatterns() {
    }

    /**
     * Reports whether some path prefix of {@code target} matches one of the comma-separated {@code globs}. Empty
     * and malformed globs are ignored, and a trailing slash on a glob is dropped, as the go command does.
     */
    public static boolean matchPrefixPatterns(String globs, String target) {
        for (String glob : globs.split(",", -1)) {
            if (glob.endsWith("/")) {
                glob = glob.substring(0, glob.length() - 1);
            }
            if (glob.isEmpty()) {
                continue;
            }
            // A glob of N+1 elements is matched against the first N+1 elements of the target.
            int slashes = (int) glob.chars().filter(c -> c == '/').count();
            String prefix = target;
            for (int i = 0; i < target.length(); i++) {
                if (target.charAt(i) == '/') {
                    if (slashes == 0) {
                        prefix = target.substring(0, i);
                        break;
                    }
                    slashes--;
                }
            }
            if (slashes > 0) {
                continue;
            }
            try {
                if (Glob.match(glob, prefix)) {
                    return true;
                }
            } catch (Glob.BadPatternException e) {
                // The go command skips malformed patterns rather than failing the whole list.
            }
        }
        return false;
    }

    /**
     * The first malformed glob of the comma-separated {@code globs} (trailing slash dropped), which
     * {@link #matchPrefixPatterns} and the go command silently skip; empty when every glob is well formed.
     */
    public static Optional<String> malformed(String globs) {
        for (String glob : globs.split(",", -1)) {
            if (glob.endsWith("/")) {
                glob = glob.substring(0, glob.length() - 1);
            }
            if (glob.isEmpty()) {
                continue;
            }
            try {
                // path.Match checks the whole pattern whatever the name, so an empty name finds every syntax error.
                Glob.match(glob, "");
            } catch (Glob.BadPatternException e) {
                return Optional.of(glob);
            }
        }
        return Optional.empty();
    }

    /** Whether the comma-separated {@code globs} hold at least one glob that is not empty (after its trailing slash). */
    public static boolean hasPattern(String globs) {
        for (String glob : globs.split(",", -1)) {
            if (!glob.isEmpty() && !glob.equals("/")) {
                return true;
            }
        }
        return false;
    }
}
