package dev.vreg.go.module;

import static dev.vreg.go.module.GoQuote.quote;
import static dev.vreg.go.module.GoQuote.quoteRune;

import java.util.List;

/**
 * The go command's rules for module paths, import paths and file paths ({@code golang.org/x/mod/module}).
 *
 * <p>Module paths are deliberately narrow (ASCII letters, digits and {@code -._~}, a lower-case domain first) so
 * that they mean the same thing in URLs, on case-insensitive file systems and on Windows.
 */
public final class ModulePath {

    private static final List<String> WINDOWS_RESERVED = List.of(
            "CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    private enum Kind { MODULE, IMPORT, FILE }

    /**
     * A module path split into the part before its major version suffix and the suffix itself.
     *
     * @param prefix    the path without the suffix
     * @param pathMajor {@code ""}, {@code /vN} (N ≥ 2), or for gopkg.in {@code .vN} optionally with
     *                  {@code -unstable}
     * @param ok        false when the last element looks like a version suffix but is not a valid one
     *                  ({@code /v1}, {@code /v0}, {@code /v2.0}, {@code /v02})
     */
    public record PathVersion(String prefix, String pathMajor, boolean ok) {
    }

    private ModulePath() {
    }

    /** Throws {@link ModuleException} unless {@code path} is a valid module path. */
    public static void checkPath(String path) {
        String reason = modulePathError(path);
        if (reason != null) {
            throw new ModuleException("malformed module path " + quote(path) + ": " + reason);
        }
    }

    /** Reports whether {@code path} is a valid module path. */
    public static boolean isValidPath(String path) {
        return modulePathError(path) == null;
    }

    /** Throws {@link ModuleException} unless {@code path} is a valid package import path (which also allows +). */
    public static void checkImportPath(String path) {
        String reason = pathError(path, Kind.IMPORT);
        if (reason != null) {
            throw new ModuleException("malformed import path " + quote(path) + ": " + reason);
        }
    }

    /**
     * Throws {@link ModuleException} unless {@code path} is a valid slash-separated file path inside a module:
     * Unicode letters, digits, space and {@code !#$%&()+,-.=@[]^_{}~} are allowed.
     */
    public static void checkFilePath(String path) {
        String reason = filePathError(path);
        if (reason != null) {
            throw new ModuleException("malformed file path " + quote(path) + ": " + reason);
        }
    }

    /** The reason {@code path} is not a valid file path, or null if it is. */
    public static String filePathError(String path) {
        return pathError(path, Kind.FILE);
    }

    /**
     * Reports whether {@code elem} is a valid single file-name element: the rule versions must follow in proxy URLs
     * and zip file names.
     */
    static String fileElementError(String elem) {
        return elementError(elem, Kind.FILE);
    }

    /**
     * Splits off the major version suffix. gopkg.in paths use {@code .vN} for every N; other paths use {@code /vN}
     * only for N ≥ 2, since v0 and v1 live at the unsuffixed path.
     */
    public static PathVersion splitPathVersion(String path) {
        if (path.startsWith("gopkg.in/")) {
            return splitGopkgIn(path);
        }
        int i = path.length();
        boolean dot = false;
        while (i > 0 && (isDigit(path.charAt(i - 1)) || path.charAt(i - 1) == '.')) {
            dot |= path.charAt(i - 1) == '.';
            i--;
        }
        if (i <= 1 || i == path.length() || path.charAt(i - 1) != 'v' || path.charAt(i - 2) != '/') {
            return new PathVersion(path, "", true);
        }
        String prefix = path.substring(0, i - 2);
        String pathMajor = path.substring(i - 2);
        if (dot || pathMajor.length() <= 2 || pathMajor.charAt(2) == '0' || pathMajor.equals("/v1")) {
            return new PathVersion(path, "", false);
        }
        return new PathVersion(prefix, pathMajor, true);
    }

    private static PathVersion splitGopkgIn(String path) {
        int i = path.length();
        if (path.endsWith("-unstable")) {
            i -= "-unstable".length();
        }
        while (i > 0 && isDigit(path.charAt(i - 1))) {
            i--;
        }
        if (i <= 1 || path.charAt(i - 1) != 'v' || path.charAt(i - 2) != '.') {
            return new PathVersion(path, "", false);
        }
        String prefix = path.substring(0, i - 2);
        String pathMajor = path.substring(i - 2);
        if (pathMajor.length() <= 2 || pathMajor.charAt(2) == '0' && !pathMajor.equals(".v0")) {
            return new PathVersion(path, "", false);
        }
        return new PathVersion(prefix, pathMajor, true);
    }

    private static String modulePathError(String path) {
        String reason = pathError(path, Kind.MODULE);
        if (reason != null) {
            return reason;
        }
        int slash = path.indexOf('/');
        String first = slash < 0 ? path : path.substring(0, slash);
        if (first.isEmpty()) {
            return "leading slash";
        }
        if (first.indexOf('.') < 0) {
            return "missing dot in first path element";
        }
        if (path.charAt(0) == '-') {
            return "leading dash in first path element";
        }
        for (int i = 0; i < first.length(); i++) {
            char c = first.charAt(i);
            if (!(c == '-' || c == '.' || isDigit(c) || c >= 'a' && c <= 'z')) {
                return "invalid char " + quoteRune(c) + " in first path element";
            }
        }
        if (!splitPathVersion(path).ok()) {
            return "invalid version";
        }
        return null;
    }

    private static String pathError(String path, Kind kind) {
        if (!Utf16.isWellFormed(path)) {
            return "invalid UTF-8";
        }
        if (path.isEmpty()) {
            return "empty string";
        }
        if (path.charAt(0) == '-' && kind != Kind.FILE) {
            return "leading dash";
        }
        if (path.contains("//")) {
            return "double slash";
        }
        if (path.charAt(path.length() - 1) == '/') {
            return "trailing slash";
        }
        int start = 0;
        while (true) {
            int slash = path.indexOf('/', start);
            String elem = slash < 0 ? path.substring(start) : path.substring(start, slash);
            String reason = elementError(elem, kind);
            if (reason != null || slash < 0) {
                return reason;
            }
            start = slash + 1;
        }
    }

    private static String elementError(String elem, Kind kind) {
        if (elem.isEmpty()) {
            return "empty path element";
        }
        if (elem.chars().allMatch(c -> c == '.')) {
            return "invalid path element " + quote(elem);
        }
        if (elem.charAt(0) == '.' && kind == Kind.MODULE) {
            return "leading dot in path element";
        }
        if (elem.charAt(elem.length() - 1) == '.') {
            return "trailing dot in path element";
        }
        for (int i = 0; i < elem.length(); ) {
            int cp = elem.codePointAt(i);
            boolean ok = switch (kind) {
                case MODULE -> modulePathChar(cp);
                case IMPORT -> modulePathChar(cp) || cp == '+';
                case FILE -> fileNameChar(cp);
            };
            if (!ok) {
                return "invalid char " + quoteRune(cp);
            }
            i += Character.charCount(cp);
        }
        int dot = elem.indexOf('.');
        String shortName = dot < 0 ? elem : elem.substring(0, dot);
        for (String reserved : WINDOWS_RESERVED) {
            if (reserved.equalsIgnoreCase(shortName)) {
                return quote(shortName) + " disallowed as path element component on Windows";
            }
        }
        // Windows short names (PROGRA~1) only matter for import paths, which become directory names.
        if (kind != Kind.FILE) {
            int tilde = shortName.lastIndexOf('~');
            if (tilde >= 0 && tilde < shortName.length() - 1
                    && shortName.substring(tilde + 1).chars().allMatch(c -> c >= '0' && c <= '9')) {
                return "trailing tilde and digits in path element";
            }
        }
        return null;
    }

    private static boolean modulePathChar(int c) {
        return c == '-' || c == '.' || c == '_' || c == '~' || isDigit(c) || c >= 'A' && c <= 'Z'
                || c >= 'a' && c <= 'z';
    }

    private static boolean fileNameChar(int c) {
        if (c < 0x80) {
            return isDigit(c) || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
                    || "!#$%&()+,-.=@[]^_{}~ ".indexOf(c) >= 0;
        }
        return Character.isLetter(c);
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }
}
