package dev.vreg.testkit.docs;

import java.util.List;

/**
 * Whether printed output is what an {@code {output}} block shows. Lines are compared without trailing white space,
 * and blank lines at either end are ignored. A line {@code ...} stands for any number of lines (none included), and
 * {@code ...} inside a line for any text within that line, so output that varies (times, temporary paths) can be
 * elided the way a reader would.
 */
final class OutputMatch {

    static final String ELLIPSIS = "...";

    private OutputMatch() {
    }

    static boolean matches(String expected, String actual) {
        return matches(lines(expected), 0, lines(actual), 0);
    }

    private static boolean matches(List<String> expected, int e, List<String> actual, int a) {
        if (e == expected.size()) {
            return a == actual.size();
        }
        if (expected.get(e).equals(ELLIPSIS)) {
            for (int skip = a; skip <= actual.size(); skip++) {
                if (matches(expected, e + 1, actual, skip)) {
                    return true;
                }
            }
            return false;
        }
        return a < actual.size() && lineMatches(expected.get(e), actual.get(a))
                && matches(expected, e + 1, actual, a + 1);
    }

    static boolean lineMatches(String expected, String actual) {
        String[] parts = expected.split(java.util.regex.Pattern.quote(ELLIPSIS), -1);
        if (parts.length == 1) {
            return expected.equals(actual);
        }
        if (!actual.startsWith(parts[0])) {
            return false;
        }
        int at = parts[0].length();
        for (int i = 1; i < parts.length - 1; i++) {
            int found = actual.indexOf(parts[i], at);
            if (found < 0) {
                return false;
            }
            at = found + parts[i].length();
        }
        String last = parts[parts.length - 1];
        return actual.length() - last.length() >= at && actual.endsWith(last);
    }

    private static List<String> lines(String text) {
        List<String> lines = text.lines().map(String::stripTrailing).collect(java.util.stream.Collectors
                .toCollection(java.util.ArrayList::new));
        while (!lines.isEmpty() && lines.get(0).isEmpty()) {
            lines.remove(0);
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}
