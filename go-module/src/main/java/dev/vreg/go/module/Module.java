package dev.vreg.go.module;

import static dev.vreg.go.module.GoQuote.quote;

/**
 * Module path and version pairs ({@code module.Check}, {@code module.CheckPathMajor},
 * {@code module.CanonicalVersion}).
 */
public final class Module {

    /** The build suffix of a v2+ version of a module path without major version suffix. */
    public static final String INCOMPATIBLE = "+incompatible";

    private Module() {
    }

    /**
     * Throws {@link ModuleException} unless {@code path} is a valid module path and {@code version} a semantic
     * version whose major version agrees with the path's suffix: {@code example.com/m/v2} only takes v2.x.y,
     * an unsuffixed path takes v0, v1 and {@code +incompatible} versions.
     */
    public static void check(String path, String version) {
        ModulePath.checkPath(path);
        if (!Semver.isValid(version)) {
            throw new ModuleException(path + "@" + version + ": invalid version: not a semantic version");
        }
        String reason = pathMajorError(version, ModulePath.splitPathVersion(path).pathMajor());
        if (reason != null) {
            throw new ModuleException(path + "@" + version + ": invalid version: " + reason);
        }
    }

    /** Reports whether {@link #check} accepts the pair. */
    public static boolean isValid(String path, String version) {
        return ModulePath.isValidPath(path) && Semver.isValid(version)
                && pathMajorError(version, ModulePath.splitPathVersion(path).pathMajor()) == null;
    }

    /**
     * Throws {@link ModuleException} unless {@code version} is a version a proxy can serve for {@code path}: canonical,
     * accepted by {@link #check}, and carrying {@code +incompatible} only on an unsuffixed path at major version 2 or
     * higher. {@code module.Check} alone lets {@code v2.0.0+incompatible} through for {@code /v2} paths and
     * {@code v1.0.0+incompatible} for any path; the go command's repository layer refuses both, because the suffix
     * means "a major version that predates modules", which neither can be.
     */
    public static void checkServable(String path, String version) {
        String canonical = canonicalVersion(version);
        if (!canonical.equals(version)) {
            throw new ModuleException(path + "@" + version + ": invalid version: "
                    + (canonical.isEmpty() ? "not a semantic version"
                            : "version " + quote(version) + " is not canonical (should be " + quote(canonical) + ")"));
        }
        check(path, version);
        String reason = incompatibleError(path, version);
        if (reason != null) {
            throw new ModuleException(path + "@" + version + ": invalid version: " + reason);
        }
    }

    /** Reports whether {@link #checkServable} accepts the pair. */
    public static boolean isServable(String path, String version) {
        return isCanonical(version) && isValid(path, version) && incompatibleError(path, version) == null;
    }

    private static String incompatibleError(String path, String version) {
        if (!Semver.build(version).equals(INCOMPATIBLE)) {
            return null;
        }
        if (!ModulePath.splitPathVersion(path).pathMajor().isEmpty()) {
            return "+incompatible suffix not allowed: module path includes a major version suffix, "
                    + "so major version must match";
        }
        String major = Semver.major(version);
        if (major.equals("v0") || major.equals("v1")) {
            return "+incompatible suffix not allowed: major version " + major + " is compatible";
        }
        return null;
    }

    /** Throws {@link ModuleException} unless the semantic version {@code v} matches the path suffix. */
    public static void checkPathMajor(String v, String pathMajor) {
        String reason = pathMajorError(v, pathMajor);
        if (reason != null) {
            throw new ModuleException("version " + quote(v) + " invalid: " + reason);
        }
    }

    /** Reports whether the semantic version {@code v} matches the path suffix {@code pathMajor}. */
    public static boolean matchPathMajor(String v, String pathMajor) {
        return pathMajorError(v, pathMajor) == null;
    }

    /**
     * {@link Semver#canonical} that keeps {@code +incompatible}: that suffix is the one piece of build metadata
     * that changes which module a version belongs to.
     */
    public static String canonicalVersion(String v) {
        String canonical = Semver.canonical(v);
        return Semver.build(v).equals(INCOMPATIBLE) ? canonical + INCOMPATIBLE : canonical;
    }

    /** Reports whether {@code v} is already in the form {@link #canonicalVersion} gives. */
    public static boolean isCanonical(String v) {
        return !v.isEmpty() && canonicalVersion(v).equals(v);
    }

    private static String pathMajorError(String v, String pathMajor) {
        if (pathMajor.startsWith(".v") && pathMajor.endsWith("-unstable")) {
            pathMajor = pathMajor.substring(0, pathMajor.length() - "-unstable".length());
        }
        // Early module tooling gave gopkg.in .v1 packages v0.0.0 pseudo-versions; go.mod files still require them.
        if (v.startsWith("v0.0.0-") && pathMajor.equals(".v1")) {
            return null;
        }
        String major = Semver.major(v);
        String want;
        if (pathMajor.isEmpty()) {
            if (major.equals("v0") || major.equals("v1") || Semver.build(v).equals(INCOMPATIBLE)) {
                return null;
            }
            want = "v0 or v1";
        } else if (pathMajor.charAt(0) == '/' || pathMajor.charAt(0) == '.') {
            if (major.equals(pathMajor.substring(1))) {
                return null;
            }
            want = pathMajor.substring(1);
        } else {
            want = pathMajor;
        }
        return "should be " + want + ", not " + major;
    }
}
