package dev.vreg.go.module;

/**
 * Shell-style patterns with Go's {@code path.Match} semantics: {@code *} and {@code ?} never match {@code /},
 * {@code [...]} classes with ranges and {@code ^} negation, {@code \} escapes. The whole name must match, and a
 * malformed pattern is an error even when the name already failed to match.
 */
public final class Glob {

    /** The pattern is malformed (unclosed class, dangling escape, empty range end, ...). */
    public static final class BadPatternException extends Exception {
        BadPatternException() {
            super("syntax error in pattern", null, false, false);
        }
    }

    private static final int[] EMPTY = new int[0];

    private Glob() {
    }

    /** Reports whether {@code name} matches {@code pattern} as a whole. */
    public static boolean match(String pattern, String name) throws BadPatternException {
        int[] p = pattern.codePoints().toArray();
        int[] n = name.codePoints().toArray();
        int pi = 0;
        int ni = 0;
        outer:
        while (pi < p.length) {
            boolean star = false;
            while (pi < p.length && p[pi] == '*') {
                pi++;
                star = true;
            }
            int chunkStart = pi;
            int chunkEnd = chunkEnd(p, pi);
            pi = chunkEnd;
            if (star && chunkStart == chunkEnd) {
                // A trailing star matches the rest of the name unless that crosses a slash.
                for (int i = ni; i < n.length; i++) {
                    if (n[i] == '/') {
                        return false;
                    }
                }
                return true;
            }
            int t = matchChunk(p, chunkStart, chunkEnd, n, ni);
            if (t >= 0 && (t == n.length || pi < p.length)) {
                ni = t;
                continue;
            }
            if (star) {
                for (int i = ni; i < n.length && n[i] != '/'; i++) {
                    t = matchChunk(p, chunkStart, chunkEnd, n, i + 1);
                    if (t >= 0) {
                        if (pi == p.length && t < n.length) {
                            continue;
                        }
                        ni = t;
                        continue outer;
                    }
                }
            }
            while (pi < p.length) {
                while (pi < p.length && p[pi] == '*') {
                    pi++;
                }
                int start = pi;
                pi = chunkEnd(p, pi);
                matchChunk(p, start, pi, EMPTY, 0);
            }
            return false;
        }
        return ni == n.length;
    }

    /** The end of the star-free chunk starting at {@code from}; stars inside a class do not end it. */
    private static int chunkEnd(int[] p, int from) {
        boolean inRange = false;
        for (int i = from; i < p.length; i++) {
            switch (p[i]) {
                case '\\' -> {
                    if (i + 1 < p.length) {
                        i++;
                    }
                }
                case '[' -> inRange = true;
                case ']' -> inRange = false;
                case '*' -> {
                    if (!inRange) {
                        return i;
                    }
                }
                default -> {
                }
            }
        }
        return p.length;
    }

    /**
     * Matches the chunk {@code p[from, to)} at the start of {@code n[ni..]}; returns the index after the match or
     * -1. Keeps scanning the chunk after a mismatch so that a malformed pattern is always reported.
     */
    private static int matchChunk(int[] p, int from, int to, int[] n, int ni) throws BadPatternException {
        boolean failed = false;
        int pi = from;
        while (pi < to) {
            if (!failed && ni >= n.length) {
                failed = true;
            }
            int c = p[pi];
            if (c == '[') {
                int r = 0;
                if (!failed) {
                    r = n[ni++];
                }
                pi++;
                boolean negated = pi < to && p[pi] == '^';
                if (negated) {
                    pi++;
                }
                boolean match = false;
                int ranges = 0;
                while (true) {
                    if (pi < to && p[pi] == ']' && ranges > 0) {
                        pi++;
                        break;
                    }
                    int[] lo = escapedChar(p, pi, to);
                    pi = lo[1];
                    int hi = lo[0];
                    if (p[pi] == '-') {
                        int[] h = escapedChar(p, pi + 1, to);
                        hi = h[0];
                        pi = h[1];
                    }
                    if (lo[0] <= r && r <= hi) {
                        match = true;
                    }
                    ranges++;
                }
                if (match == negated) {
                    failed = true;
                }
            } else if (c == '?') {
                if (!failed) {
                    failed = n[ni] == '/';
                    ni++;
                }
                pi++;
            } else {
                if (c == '\\') {
                    pi++;
                    if (pi >= to) {
                        throw new BadPatternException();
                    }
                }
                if (!failed) {
                    failed = p[pi] != n[ni];
                    ni++;
                }
                pi++;
            }
        }
        return failed ? -1 : ni;
    }

    /** A possibly escaped character of a class: {code point, next index}; something must follow it. */
    private static int[] escapedChar(int[] p, int pi, int to) throws BadPatternException {
        if (pi >= to || p[pi] == '-' || p[pi] == ']') {
            throw new BadPatternException();
        }
        if (p[pi] == '\\') {
            pi++;
            if (pi >= to) {
                throw new BadPatternException();
            }
        }
        int c = p[pi++];
        if (pi >= to) {
            throw new BadPatternException();
        }
        return new int[] {c, pi};
    }
}
