package dev.vreg.go.module;

/** Quotes strings and characters the way Go's {@code %q} does for the inputs that appear in error messages. */
public final class GoQuote {

    private GoQuote() {
    }

    /** {@code s} in double quotes, with quotes, backslashes and non-printable characters escaped. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        s.codePoints().forEach(cp -> append(b, cp, '"'));
        return b.append('"').toString();
    }

    /** One code point in single quotes. */
    public static String quoteRune(int cp) {
        StringBuilder b = new StringBuilder("'");
        append(b, cp, '\'');
        return b.append('\'').toString();
    }

    private static void append(StringBuilder b, int cp, char quote) {
        switch (cp) {
            case '\\' -> b.append("\\\\");
            case '\n' -> b.append("\\n");
            case '\r' -> b.append("\\r");
            case '\t' -> b.append("\\t");
            default -> {
                if (cp == quote) {
                    b.append('\\').appendCodePoint(cp);
                } else if (cp < 0x20 || cp == 0x7f) {
                    b.append(String.format("\\x%02x", cp));
                } else if (Character.isISOControl(cp) || cp >= 0xD800 && cp <= 0xDFFF || !Character.isDefined(cp)) {
                    b.append(cp <= 0xffff ? String.format("\\u%04x", cp) : String.format("\\U%08x", cp));
                } else {
                    b.appendCodePoint(cp);
                }
            }
        }
    }
}
