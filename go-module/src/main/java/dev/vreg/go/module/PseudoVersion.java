package dev.vreg.go.module;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Pseudo-versions: versions the go command derives from a commit rather than a tag
 * ({@code vX.0.0-yyyymmddhhmmss-abcdef123456}, {@code vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdef123456} and
 * {@code vX.Y.Z-pre.0.yyyymmddhhmmss-abcdef123456}, each optionally with build metadata).
 */
public final class PseudoVersion {

    private static final Pattern FORM = Pattern.compile(
            "^v[0-9]+\\.(0\\.0-|\\d+\\.\\d+-([^+]*\\.)?0\\.)\\d{14}-[A-Za-z0-9]+"
                    + "(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?$");

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private PseudoVersion() {
    }

    /**
     * The pseudo-version the go command forms for a commit ({@code modfetch.PseudoVersion}): after no tag
     * {@code vX.0.0-<time>-<rev>} ({@code major} or {@code v0}), after a release {@code vX.Y.(Z+1)-0.<time>-<rev>},
     * after a prerelease {@code vX.Y.Z-pre.0.<time>-<rev>}; the base's build suffix ({@code +incompatible}) is kept.
     *
     * @param major the major version the module path requires ({@code v2}), or empty
     * @param older the tag the commit descends from, or empty
     * @param time  the commit time; only whole seconds, in UTC, count
     * @param rev   the abbreviated commit hash (12 hex digits for git)
     */
    public static String of(String major, String older, Instant time, String rev) {
        String segment = STAMP.format(LocalDateTime.ofInstant(time, ZoneOffset.UTC)) + "-" + rev;
        String build = older.isEmpty() ? "" : Semver.build(older);
        String base = older.isEmpty() ? "" : Semver.canonical(older);
        if (base.isEmpty()) {
            return (major.isEmpty() ? "v0" : major) + ".0.0-" + segment + build;
        }
        if (!Semver.prerelease(base).isEmpty()) {
            return base + ".0." + segment + build;
        }
        int dot = base.lastIndexOf('.') + 1;
        return base.substring(0, dot) + incrementDecimal(base.substring(dot)) + "-0." + segment + build;
    }

    /** The revision at the end of a pseudo-version; empty when {@code v} is not one. */
    public static String rev(String v) {
        if (!isPseudo(v)) {
            return "";
        }
        String rest = v.substring(0, v.length() - Semver.build(v).length());
        return rest.substring(rest.lastIndexOf('-') + 1);
    }

    /**
     * The tag version a pseudo-version was formed from ({@code modfetch.PseudoVersionBase}), with its build suffix;
     * empty for the {@code vX.0.0-} form that follows no tag, and for anything that is not a pseudo-version.
     */
    public static String base(String v) {
        if (!isPseudo(v)) {
            return "";
        }
        String build = Semver.build(v);
        String rest = v.substring(0, v.length() - build.length());
        rest = rest.substring(0, rest.lastIndexOf('-'));
        int dash = rest.lastIndexOf('-');
        int dot = rest.lastIndexOf('.');
        String base = dot > dash ? rest.substring(0, dot) : rest.substring(0, dash);
        String pre = Semver.prerelease(base);
        if (pre.isEmpty()) {
            return "";
        }
        if (pre.equals("-0")) {
            base = base.substring(0, base.length() - 2);
            int i = base.lastIndexOf('.') + 1;
            String patch = base.substring(i);
            if (patch.equals("0")) {
                return "";
            }
            return base.substring(0, i) + decrementDecimal(patch) + build;
        }
        return base.endsWith(".0") ? base.substring(0, base.length() - 2) + build : "";
    }

    private static String incrementDecimal(String decimal) {
        return new java.math.BigInteger(decimal).add(java.math.BigInteger.ONE).toString();
    }

    private static String decrementDecimal(String decimal) {
        return new java.math.BigInteger(decimal).subtract(java.math.BigInteger.ONE).toString();
    }

    /** Reports whether {@code v} has the form of a pseudo-version. */
    public static boolean isPseudo(String v) {
        return v != null && count(v, '-') >= 2 && Semver.isValid(v) && FORM.matcher(v).matches();
    }

    /**
     * The commit time encoded in a pseudo-version, in UTC; empty when {@code v} is not a pseudo-version or its
     * timestamp is not a real date.
     */
    public static Optional<Instant> time(String v) {
        if (!isPseudo(v)) {
            return Optional.empty();
        }
        String rest = v.substring(0, v.length() - Semver.build(v).length());
        rest = rest.substring(0, rest.lastIndexOf('-'));
        int dash = rest.lastIndexOf('-');
        int dot = rest.lastIndexOf('.');
        String stamp = rest.substring(Math.max(dash, dot) + 1);
        try {
            LocalDateTime t = LocalDateTime.of(
                    Integer.parseInt(stamp.substring(0, 4)), Integer.parseInt(stamp.substring(4, 6)),
                    Integer.parseInt(stamp.substring(6, 8)), Integer.parseInt(stamp.substring(8, 10)),
                    Integer.parseInt(stamp.substring(10, 12)), Integer.parseInt(stamp.substring(12, 14)));
            return Optional.of(t.toInstant(ZoneOffset.UTC));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }
}
