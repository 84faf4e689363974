package dev.vreg.go.zip;

/**
 * A key under which names equal under Unicode simple case folding collide, like Go's {@code strings.EqualFold}:
 * {@code K}, {@code k} and the Kelvin sign {@code U+212A} share a key, and so do {@code µ}, {@code Μ} and
 * {@code μ}.
 */
final class CaseFold {

    private CaseFold() {
    }

    static String key(String s) {
        boolean simple = true;
        for (int i = 0; i < s.length() && simple; i++) {
            char c = s.charAt(i);
            simple = c < 0x80 && (c < 'A' || c > 'Z');
        }
        if (simple) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> b.appendCodePoint(fold(cp)));
        return b.toString();
    }

    /**
     * Lower case of upper case, which is Unicode's simple case folding for every character but two: dotted and
     * dotless I fold together with {@code i} only under Turkish rules, so each stays its own key as in Go.
     */
    static int fold(int cp) {
        if (cp == 0x130 || cp == 0x131) {
            return cp;
        }
        return Character.toLowerCase(Character.toUpperCase(cp));
    }
}
