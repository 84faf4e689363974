package dev.vreg.go;

import dev.vreg.go.module.Module;
import dev.vreg.go.module.ModuleEscaping;
import dev.vreg.go.module.ModuleException;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.AssetKind;
import dev.vreg.spi.VregException;

/**
 * Reads a GOPROXY request path ({@code <module>/@v/list}, {@code <module>/@latest},
 * {@code <module>/@v/<version>.info|.mod|.zip}) into an {@link ArtifactRef}.
 *
 * <p>The path is percent-decoded first, then case-unescaped, so {@code %21} and {@code !} are both accepted: the go
 * command sends {@code !} as {@code %21}, other tools send it raw. The resulting {@code ArtifactRef.path} is the one
 * canonical spelling, so every spelling of a request shares a cache entry.
 */
public final class GoPathParser {

    private static final String LIST = "@v/list";
    private static final String LATEST = "@latest";
    private static final String VERSIONS = "@v/";

    private GoPathParser() {
    }

    /**
     * Classifies a raw request path below the registry base.
     *
     * @throws VregException NOT_FOUND with the go command's wording when the path names no valid module file
     */
    public static ArtifactRef classify(String rawPath) {
        String path = PercentDecoding.decode(rawPath);
        // Module paths cannot contain '@', so the first "/@" ends the module path.
        int at = path.indexOf("/@");
        if (at < 0) {
            throw VregException.notFound("not a module proxy path");
        }
        String module = unescapePath(path.substring(0, at));
        String escapedModule = ModuleEscaping.escapePath(module);
        String rest = path.substring(at + 1);
        // A trailing slash is tolerated on the two module-wide names, which are not files; never on a version file.
        if (rest.equals(LIST) || rest.equals(LIST + "/")) {
            return new ArtifactRef(escapedModule + "/" + LIST, AssetKind.METADATA, module, null, "list");
        }
        if (rest.equals(LATEST) || rest.equals(LATEST + "/")) {
            return new ArtifactRef(escapedModule + "/" + LATEST, AssetKind.METADATA, module, null, "latest");
        }
        if (!rest.startsWith(VERSIONS)) {
            throw VregException.notFound("not a module proxy path");
        }
        String file = rest.substring(VERSIONS.length());
        int dot = file.lastIndexOf('.');
        GoFile kind = dot < 0 || file.indexOf('/') >= 0 ? null : versionFile(file.substring(dot + 1));
        if (kind == null) {
            throw VregException.notFound("not a module proxy path");
        }
        String version = unescapeVersion(file.substring(0, dot));
        String canonicalPath = escapedModule + "/" + VERSIONS + ModuleEscaping.escapeVersion(version) + "."
                + kind.fileName();
        boolean canonical = Module.isServable(module, version);
        if (kind == GoFile.INFO) {
            // Anything but a canonical version of this module is a query (branch, commit, tag prefix) whose answer
            // can change, so it is metadata rather than immutable content.
            AssetKind assetKind = canonical ? AssetKind.CONTENT : AssetKind.METADATA;
            return new ArtifactRef(canonicalPath, assetKind, module, version, kind.fileName());
        }
        if (!canonical) {
            throw VregException.notFound(invalidVersion(module, version));
        }
        return new ArtifactRef(canonicalPath, AssetKind.CONTENT, module, version, kind.fileName());
    }

    private static GoFile versionFile(String extension) {
        return switch (extension) {
            case "info" -> GoFile.INFO;
            case "mod" -> GoFile.MOD;
            case "zip" -> GoFile.ZIP;
            default -> null;
        };
    }

    /** Why a .mod or .zip request names no downloadable version, worded like the go command. */
    private static String invalidVersion(String module, String version) {
        try {
            Module.checkServable(module, version);
        } catch (ModuleException e) {
            return e.getMessage();
        }
        return module + "@" + version + ": invalid version";
    }

    private static String unescapePath(String escaped) {
        try {
            return ModuleEscaping.unescapePath(escaped);
        } catch (ModuleException e) {
            throw VregException.notFound(e.getMessage());
        }
    }

    private static String unescapeVersion(String escaped) {
        try {
            return ModuleEscaping.unescapeVersion(escaped);
        } catch (ModuleException e) {
            throw VregException.notFound(e.getMessage());
        }
    }
}
