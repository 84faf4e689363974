package dev.vreg.go.module;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
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

    private PseudoVersion() {
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
