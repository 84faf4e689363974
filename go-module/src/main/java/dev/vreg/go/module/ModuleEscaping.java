package dev.vreg.go.module;

import static dev.vreg.go.module.GoQuote.quote;

/**
 * The proxy protocol's case encoding: every upper-case letter becomes {@code !} and its lower-case form
 * ({@code github.com/BurntSushi} → {@code github.com/!burnt!sushi}), so that module paths differing only in case
 * never need two spellings of one file name on a case-insensitive file system or URL space.
 */
public final class ModuleEscaping {

    private ModuleEscaping() {
    }

    /** The escaped form of a valid module path; throws {@link ModuleException} if the path is invalid. */
    public static String escapePath(String path) {
        ModulePath.checkPath(path);
        return escape(path);
    }

    /**
     * The escaped form of a version. Versions need not be semantic (branch names are queried too) but must be a
     * valid file name element without {@code !}.
     */
    public static String escapeVersion(String v) {
        if (ModulePath.fileElementError(v) != null || v.indexOf('!') >= 0) {
            throw new ModuleException("version " + quote(v) + " invalid: disallowed version string");
        }
        return escape(v);
    }

    /** The module path an escaped path stands for; throws {@link ModuleException} if either is invalid. */
    public static String unescapePath(String escaped) {
        String path = unescape(escaped);
        if (path == null) {
            throw new ModuleException("invalid escaped module path " + quote(escaped));
        }
        try {
            ModulePath.checkPath(path);
        } catch (ModuleException e) {
            throw new ModuleException("invalid escaped module path " + quote(escaped) + ": " + e.getMessage());
        }
        return path;
    }

    /** The version an escaped version stands for; throws {@link ModuleException} if either is invalid. */
    public static String unescapeVersion(String escaped) {
        String v = unescape(escaped);
        if (v == null) {
            throw new ModuleException("invalid escaped version " + quote(escaped));
        }
        String reason = ModulePath.fileElementError(v);
        if (reason != null) {
            throw new ModuleException("invalid escaped version " + quote(v) + ": " + reason);
        }
        return v;
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            // Callers validated s; a '!' or non-ASCII character here would make the encoding ambiguous.
            if (c == '!' || c >= 0x80) {
                throw new IllegalStateException("cannot escape " + quote(s));
            }
            if (c >= 'A' && c <= 'Z') {
                b.append('!').append((char) (c + ('a' - 'A')));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * Reverses {@link #escape}; null for a raw upper-case letter, a {@code !} not followed by a lower-case letter,
     * or any non-ASCII character, each of which would give one name several spellings.
     */
    private static String unescape(String escaped) {
        StringBuilder b = new StringBuilder(escaped.length());
        boolean bang = false;
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c >= 0x80) {
                return null;
            }
            if (bang) {
                bang = false;
                if (c < 'a' || c > 'z') {
                    return null;
                }
                b.append((char) (c - ('a' - 'A')));
            } else if (c == '!') {
                bang = true;
            } else if (c >= 'A' && c <= 'Z') {
                return null;
            } else {
                b.append(c);
            }
        }
        return bang ? null : b.toString();
    }
}
