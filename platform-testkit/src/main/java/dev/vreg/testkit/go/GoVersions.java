package dev.vreg.testkit.go;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version rules of the go command that fixtures need: canonical semantic versions, pseudo-versions and the
 * agreement between a module path's major suffix and a version ({@code module.Check}).
 */
public final class GoVersions {

    private static final String NUM = "(0|[1-9][0-9]*)";
    private static final String PRE_ID = "(0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)";
    private static final Pattern CANONICAL = Pattern.compile(
            "v" + NUM + "\\." + NUM + "\\." + NUM + "(-" + PRE_ID + "(\\." + PRE_ID + ")*)?(\\+incompatible)?");
    /** The pseudo-version pattern of golang.org/x/mod/module/pseudo.go; group 1 is the UTC timestamp. */
    private static final Pattern PSEUDO = Pattern.compile(
            "^v[0-9]+\\.(?:0\\.0-|\\d+\\.\\d+-(?:[^+]*\\.)?0\\.)(\\d{14})-[A-Za-z0-9]+(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?$");
    private static final DateTimeFormatter PSEUDO_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private GoVersions() {
    }

    /**
     * Whether {@code version} is a canonical semantic version as {@code semver.Canonical} writes it
     * ({@code vMAJOR.MINOR.PATCH[-pre]}), optionally with the {@code +incompatible} build suffix, which is the only
     * build suffix the go command keeps.
     */
    public static boolean isCanonical(String version) {
        return CANONICAL.matcher(version).matches();
    }

    /** Whether {@code version} is a pseudo-version ({@code v0.0.0-20240102030405-abcdefabcdef} and its relatives). */
    public static boolean isPseudo(String version) {
        return isCanonical(version) && PSEUDO.matcher(version).matches()
                && version.chars().filter(c -> c == '-').count() >= 2;
    }

    /** The commit time encoded in a pseudo-version. */
    public static Instant pseudoTime(String version) {
        Matcher m = PSEUDO.matcher(version);
        if (!isPseudo(version) || !m.matches()) {
            throw new IllegalArgumentException(version + " is not a pseudo-version");
        }
        return LocalDateTime.parse(m.group(1), PSEUDO_TIME).toInstant(ZoneOffset.UTC);
    }

    /** Whether the version is a prerelease ({@code v1.0.0-rc.1}); pseudo-versions are prereleases too. */
    public static boolean isPrerelease(String version) {
        String core = version.endsWith("+incompatible")
                ? version.substring(0, version.length() - "+incompatible".length()) : version;
        return core.indexOf('-') >= 0;
    }

    /** The major version number of a canonical version ({@code v2.3.0+incompatible} → 2). */
    public static long major(String version) {
        return Long.parseLong(version.substring(1, version.indexOf('.')));
    }

    /**
     * Checks that a version is canonical and fits the module path's major suffix, as {@code module.Check} does, and
     * that {@code +incompatible} is only used for a major version of 2 or more on a path without a suffix.
     *
     * @throws IllegalArgumentException saying what does not fit
     */
    public static void checkFits(String path, String version) {
        if (!isCanonical(version)) {
            throw new IllegalArgumentException("version " + version + " is not canonical (vMAJOR.MINOR.PATCH[-pre]"
                    + "[+incompatible])");
        }
        String suffix = ModulePaths.majorSuffix(path);
        long major = major(version);
        boolean incompatible = version.endsWith("+incompatible");
        if (suffix == null) {
            throw new IllegalArgumentException("module path " + path + " has a malformed major suffix");
        }
        if (incompatible && (!suffix.isEmpty() || major < 2)) {
            throw new IllegalArgumentException(path + "@" + version
                    + ": +incompatible needs a major version >= 2 on a path without a major suffix");
        }
        if (suffix.isEmpty()) {
            if (major > 1 && !incompatible) {
                throw new IllegalArgumentException(path + "@" + version
                        + ": a path without a major suffix takes v0, v1 or +incompatible versions");
            }
            return;
        }
        String wanted = suffix.replace("-unstable", "").substring(2);
        boolean gopkgV1Pseudo = suffix.startsWith(".v1") && version.startsWith("v0.0.0-");
        if (!gopkgV1Pseudo && Long.parseLong(wanted) != major) {
            throw new IllegalArgumentException(path + "@" + version + ": the path's major suffix wants v" + wanted);
        }
    }
}
