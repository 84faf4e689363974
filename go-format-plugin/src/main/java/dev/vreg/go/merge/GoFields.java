package dev.vreg.go.merge;

/** Splits text into fields the way Go's {@code strings.Fields} does: around runs of Unicode white space. */
final class GoFields {

    private GoFields() {
    }

    /** The first field of {@code line}, or null when it has none. */
    static String first(String line) {
        int i = 0;
        while (i < line.length() && isSpace(line.codePointAt(i))) {
            i += Character.charCount(line.codePointAt(i));
        }
        int start = i;
        while (i < line.length() && !isSpace(line.codePointAt(i))) {
            i += Character.charCount(line.codePointAt(i));
        }
        return i == start ? null : line.substring(start, i);
    }

    /** Go's {@code unicode.IsSpace}: the Unicode White_Space property. */
    static boolean isSpace(int c) {
        return switch (c) {
            case '\t', '\n', 0x0B, '\f', '\r', ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> c >= 0x2000 && c <= 0x200A;
        };
    }
}
