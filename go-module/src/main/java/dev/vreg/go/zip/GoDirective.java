package dev.vreg.go.zip;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The language version of a root go.mod's {@code go} directive, as {@code zip} reads it
 * ({@code version.Lang(parseGoVers(...))}) to decide which vendor rules apply. Only the {@code go} lines are looked
 * at; a go.mod that {@code modfile.ParseLax} would reject for some other line counts as having no version there, and
 * is not detected here.
 */
final class GoDirective {

    private static final Pattern STRICT = Pattern.compile(
            "^([1-9][0-9]*)\\.(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$");
    private static final Pattern LAX = Pattern.compile("^v?(([1-9][0-9]*)\\.(0|[1-9][0-9]*))([^0-9].*)$");

    private GoDirective() {
    }

    /**
     * Whether the go.mod declares {@code go 1.24} or later, from which version the zip omits
     * {@code vendor/modules.txt} and reads nested {@code vendor/} directories correctly.
     */
    static boolean atLeastGo124(byte[] goMod) {
        String version = version(new String(goMod, StandardCharsets.UTF_8));
        if (version == null) {
            return false;
        }
        Matcher m = Pattern.compile("^([0-9]+)\\.([0-9]+)").matcher(version);
        if (!m.find()) {
            return false;
        }
        long major = Long.parseLong(m.group(1));
        long minor = m.group(2).length() > 9 ? Long.MAX_VALUE : Long.parseLong(m.group(2));
        return major > 1 || major == 1 && minor >= 24;
    }

    /** The version of the one {@code go} directive, or null when there is none, several, or a malformed one. */
    static String version(String goMod) {
        String found = null;
        for (String line : goMod.split("\n", -1)) {
            int comment = line.indexOf("//");
            String[] tokens = (comment >= 0 ? line.substring(0, comment) : line).trim().split("[ \t\r]+");
            if (!tokens[0].equals("go")) {
                continue;
            }
            if (found != null || tokens.length != 2) {
                return null;
            }
            String arg = tokens[1];
            if (!STRICT.matcher(arg).matches()) {
                Matcher lax = LAX.matcher(arg);
                if (!lax.matches()) {
                    return null;
                }
                arg = lax.group(1);
            }
            found = arg;
        }
        return found;
    }
}
