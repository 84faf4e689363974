package dev.vreg.go.module;

import java.util.Comparator;

/**
 * Semantic versions as the go command reads them ({@code golang.org/x/mod/semver}): a leading {@code v}, and the
 * shorthands {@code v1} and {@code v1.2} accepted as {@code v1.0.0} and {@code v1.2.0}. Invalid versions compare
 * below every valid one and are equal to each other.
 */
public final class Semver {

    /** Orders by {@link #compare}, breaking ties by string order so that sorting is deterministic. */
    public static final Comparator<String> ORDER = (a, b) -> {
        int c = compare(a, b);
        return c != 0 ? c : a.compareTo(b);
    };

    private Semver() {
    }

    private record Parsed(String major, String minor, String patch, String shortSuffix, String prerelease,
                          String build) {
    }

    /** Reports whether {@code v} is a valid semantic version, shorthands included. */
    public static boolean isValid(String v) {
        return parse(v) != null;
    }

    /**
     * The canonical form of {@code v}: shorthands expanded, build metadata dropped; empty for an invalid version.
     */
    public static String canonical(String v) {
        Parsed p = parse(v);
        if (p == null) {
            return "";
        }
        if (!p.build.isEmpty()) {
            return v.substring(0, v.length() - p.build.length());
        }
        return v + p.shortSuffix;
    }

    /** The major version prefix, such as {@code v2}; empty for an invalid version. */
    public static String major(String v) {
        Parsed p = parse(v);
        return p == null ? "" : v.substring(0, 1 + p.major.length());
    }

    /** The prerelease suffix including its leading {@code -}, or empty. */
    public static String prerelease(String v) {
        Parsed p = parse(v);
        return p == null ? "" : p.prerelease;
    }

    /** The build suffix including its leading {@code +}, or empty. */
    public static String build(String v) {
        Parsed p = parse(v);
        return p == null ? "" : p.build;
    }

    /**
     * Compares two versions by precedence. Build metadata is ignored; an invalid version is lower than any valid
     * one, and two invalid versions are equal.
     */
    public static int compare(String v, String w) {
        Parsed pv = parse(v);
        Parsed pw = parse(w);
        if (pv == null || pw == null) {
            return pv == pw ? 0 : pv == null ? -1 : 1;
        }
        int c = compareInt(pv.major, pw.major);
        if (c == 0) {
            c = compareInt(pv.minor, pw.minor);
        }
        if (c == 0) {
            c = compareInt(pv.patch, pw.patch);
        }
        return c != 0 ? c : comparePrerelease(pv.prerelease, pw.prerelease);
    }

    private static Parsed parse(String v) {
        if (v == null || v.isEmpty() || v.charAt(0) != 'v') {
            return null;
        }
        int[] pos = {1};
        String major = parseInt(v, pos);
        if (major == null) {
            return null;
        }
        if (pos[0] == v.length()) {
            return new Parsed(major, "0", "0", ".0.0", "", "");
        }
        if (v.charAt(pos[0]) != '.') {
            return null;
        }
        pos[0]++;
        String minor = parseInt(v, pos);
        if (minor == null) {
            return null;
        }
        if (pos[0] == v.length()) {
            return new Parsed(major, minor, "0", ".0", "", "");
        }
        if (v.charAt(pos[0]) != '.') {
            return null;
        }
        pos[0]++;
        String patch = parseInt(v, pos);
        if (patch == null) {
            return null;
        }
        String prerelease = "";
        if (pos[0] < v.length() && v.charAt(pos[0]) == '-') {
            int end = scanDotted(v, pos[0], true);
            if (end < 0) {
                return null;
            }
            prerelease = v.substring(pos[0], end);
            pos[0] = end;
        }
        String build = "";
        if (pos[0] < v.length() && v.charAt(pos[0]) == '+') {
            int end = scanDotted(v, pos[0], false);
            if (end < 0) {
                return null;
            }
            build = v.substring(pos[0], end);
            pos[0] = end;
        }
        return pos[0] == v.length() ? new Parsed(major, minor, patch, "", prerelease, build) : null;
    }

    /** Decimal digits without a leading zero (except "0" itself), advancing {@code pos}. */
    private static String parseInt(String v, int[] pos) {
        int start = pos[0];
        int i = start;
        while (i < v.length() && isDigit(v.charAt(i))) {
            i++;
        }
        if (i == start || (v.charAt(start) == '0' && i - start > 1)) {
            return null;
        }
        pos[0] = i;
        return v.substring(start, i);
    }

    /**
     * Scans dot-separated identifiers after the {@code -} or {@code +} at {@code start}; a prerelease stops at
     * {@code +} and forbids numeric identifiers with leading zeros. Returns the end index, or -1 if malformed.
     */
    private static int scanDotted(String v, int start, boolean prerelease) {
        int i = start + 1;
        int identStart = i;
        while (i < v.length() && !(prerelease && v.charAt(i) == '+')) {
            char c = v.charAt(i);
            if (c == '.') {
                if (identStart == i || (prerelease && isBadNum(v, identStart, i))) {
                    return -1;
                }
                identStart = i + 1;
            } else if (!isIdentChar(c)) {
                return -1;
            }
            i++;
        }
        if (identStart == i || (prerelease && isBadNum(v, identStart, i))) {
            return -1;
        }
        return i;
    }

    private static boolean isIdentChar(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || isDigit(c) || c == '-';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isBadNum(String v, int from, int to) {
        return isNum(v.substring(from, to)) && to - from > 1 && v.charAt(from) == '0';
    }

    private static boolean isNum(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int compareInt(String x, String y) {
        if (x.length() != y.length()) {
            return x.length() < y.length() ? -1 : 1;
        }
        return Integer.signum(x.compareTo(y));
    }

    private static int comparePrerelease(String x, String y) {
        if (x.equals(y)) {
            return 0;
        }
        // A version without a prerelease ranks above any prerelease of it.
        if (x.isEmpty()) {
            return 1;
        }
        if (y.isEmpty()) {
            return -1;
        }
        String[] xs = x.substring(1).split("\\.", -1);
        String[] ys = y.substring(1).split("\\.", -1);
        for (int i = 0; i < xs.length && i < ys.length; i++) {
            String dx = xs[i];
            String dy = ys[i];
            if (dx.equals(dy)) {
                continue;
            }
            boolean nx = isNum(dx);
            boolean ny = isNum(dy);
            if (nx != ny) {
                return nx ? -1 : 1;
            }
            if (nx) {
                return compareInt(dx, dy);
            }
            return Integer.signum(dx.compareTo(dy));
        }
        return Integer.compare(xs.length, ys.length);
    }
}
