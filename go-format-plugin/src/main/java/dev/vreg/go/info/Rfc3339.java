package dev.vreg.go.info;

import java.time.YearMonth;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Timestamps as Go's {@code time.Time} accepts them in JSON: strict RFC 3339, {@code 2006-01-02T15:04:05Z} or with
 * a fraction and a {@code ±hh:mm} offset. Java's ISO parsers are more lenient (optional seconds, lower-case
 * separators), so they would let through values the go command rejects.
 */
public final class Rfc3339 {

    private static final Pattern FORM = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(\\.\\d+)?(Z|[+-](\\d{2}):(\\d{2}))");

    private Rfc3339() {
    }

    /** Reports whether {@code s} is a timestamp the go command can read. */
    public static boolean isValid(String s) {
        Matcher m = FORM.matcher(s);
        if (!m.matches()) {
            return false;
        }
        int year = Integer.parseInt(m.group(1));
        int month = Integer.parseInt(m.group(2));
        int day = Integer.parseInt(m.group(3));
        if (month < 1 || month > 12 || day < 1 || day > YearMonth.of(year, month).lengthOfMonth()) {
            return false;
        }
        if (Integer.parseInt(m.group(4)) > 23 || Integer.parseInt(m.group(5)) > 59
                || Integer.parseInt(m.group(6)) > 59) {
            return false;
        }
        return m.group(9) == null
                || Integer.parseInt(m.group(9)) <= 23 && Integer.parseInt(m.group(10)) <= 59;
    }
}
