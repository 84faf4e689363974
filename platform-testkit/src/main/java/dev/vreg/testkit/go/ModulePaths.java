package dev.vreg.testkit.go;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * The module-path rules of the go command (golang.org/x/mod/module) that fixtures need: bang-escaping, the
 * {@code CheckPath} element rules, major-version suffixes, and strict percent-decoding of request paths.
 *
 * <p>Fixtures check their own input so that a mistake in a test shows up as a clear exception here rather than
 * as a puzzling refusal from the go command later.
 */
public final class ModulePaths {

    private static final Set<String> WINDOWS_RESERVED = Set.of("CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    private ModulePaths() {
    }

    /**
     * Bang-escapes a module path or version as the proxy protocol spells it: each upper-case letter becomes
     * {@code !} followed by its lower-case form ({@code github.com/BurntSushi} → {@code github.com/!burnt!sushi}).
     */
    public static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '!' || c >= 0x80) {
                throw new IllegalArgumentException("cannot escape " + s + ": it contains '" + c + "'");
            }
            if (c >= 'A' && c <= 'Z') {
                out.append('!').append((char) (c + ('a' - 'A')));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Decodes {@code %XX} sequences of a raw request path into UTF-8 text. A {@code +} stays a {@code +}
     * (unlike {@link java.net.URLDecoder}), because {@code +incompatible} versions appear in paths.
     *
     * @throws IllegalArgumentException for a truncated or non-hex escape, or bytes that are not UTF-8
     */
    public static String percentDecode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        int i = 0;
        while (i < raw.length()) {
            int percent = raw.indexOf('%', i);
            int end = percent < 0 ? raw.length() : percent;
            bytes.writeBytes(raw.substring(i, end).getBytes(StandardCharsets.UTF_8));
            if (percent < 0) {
                break;
            }
            i = percent;
            if (i + 2 >= raw.length()) {
                throw new IllegalArgumentException("truncated percent-escape in " + raw);
            }
            int hi = Character.digit(raw.charAt(i + 1), 16);
            int lo = Character.digit(raw.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("bad percent-escape in " + raw);
            }
            bytes.write(hi << 4 | lo);
            i += 3;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("percent-escapes in " + raw + " are not UTF-8", e);
        }
    }

    /**
     * Checks a module path the way {@code module.CheckPath} does.
     *
     * @throws IllegalArgumentException naming the rule the path breaks
     */
    public static void checkPath(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.endsWith("/")) {
            throw invalid(path, "empty, or a leading or trailing slash");
        }
        String[] elements = path.split("/", -1);
        for (String element : elements) {
            checkElement(path, element);
        }
        String first = elements[0];
        if (!first.contains(".")) {
            throw invalid(path, "missing dot in first path element");
        }
        if (first.startsWith("-")) {
            throw invalid(path, "leading dash in first path element");
        }
        for (char c : first.toCharArray()) {
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-')) {
                throw invalid(path, "invalid char '" + c + "' in first path element");
            }
        }
        if (majorSuffix(path) == null) {
            throw invalid(path, "malformed major-version suffix");
        }
    }

    /**
     * The major-version suffix of a module path as {@code module.SplitPathVersion} finds it: {@code "/v2"},
     * {@code ".v1"} for {@code gopkg.in}, {@code ""} for none, or {@code null} when the suffix is malformed.
     */
    public static String majorSuffix(String path) {
        if (path.startsWith("gopkg.in/")) {
            return gopkgInSuffix(path);
        }
        int i = path.length();
        boolean dot = false;
        while (i > 0 && (Character.isDigit(path.charAt(i - 1)) || path.charAt(i - 1) == '.')) {
            dot |= path.charAt(i - 1) == '.';
            i--;
        }
        if (i <= 1 || i == path.length() || path.charAt(i - 1) != 'v' || path.charAt(i - 2) != '/') {
            return "";
        }
        String suffix = path.substring(i - 2);
        if (dot || suffix.length() <= 2 || suffix.charAt(2) == '0' || suffix.equals("/v1")) {
            return null;
        }
        return suffix;
    }

    /** The path without its major-version suffix ({@code example.com/m/v2} → {@code example.com/m}). */
    public static String withoutMajorSuffix(String path) {
        String suffix = majorSuffix(path);
        return suffix == null ? path : path.substring(0, path.length() - suffix.length());
    }

    private static String gopkgInSuffix(String path) {
        int i = path.length();
        if (path.endsWith("-unstable")) {
            i -= "-unstable".length();
        }
        while (i > 0 && Character.isDigit(path.charAt(i - 1))) {
            i--;
        }
        if (i <= 1 || path.charAt(i - 1) != 'v' || path.charAt(i - 2) != '.') {
            return null;
        }
        String suffix = path.substring(i - 2);
        if (suffix.length() <= 2 || suffix.charAt(2) == '0' && !suffix.equals(".v0")) {
            return null;
        }
        return suffix;
    }

    private static void checkElement(String path, String element) {
        if (element.isEmpty()) {
            throw invalid(path, "empty path element");
        }
        if (element.startsWith(".") || element.endsWith(".")) {
            throw invalid(path, "path element " + element + " begins or ends with a dot");
        }
        for (char c : element.toCharArray()) {
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (!ok) {
                throw invalid(path, "invalid char '" + c + "'");
            }
        }
        int tilde = element.lastIndexOf('~');
        if (tilde >= 0 && tilde < element.length() - 1
                && element.substring(tilde + 1).chars().allMatch(Character::isDigit)) {
            throw invalid(path, "path element " + element + " looks like a Windows short name");
        }
        int dot = element.indexOf('.');
        String stem = (dot < 0 ? element : element.substring(0, dot)).toUpperCase(Locale.ROOT);
        if (WINDOWS_RESERVED.contains(stem)) {
            throw invalid(path, "path element " + element + " is a reserved file name on Windows");
        }
    }

    private static IllegalArgumentException invalid(String path, String why) {
        return new IllegalArgumentException("malformed module path \"" + path + "\": " + why);
    }
}
