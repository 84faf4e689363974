package dev.vreg.go.zip;

import static dev.vreg.go.module.GoQuote.quote;

import dev.vreg.go.module.ModulePath;
import java.util.List;

/**
 * The rules of {@code zip.CheckZip} that need only names and sizes: every name under {@code <module>@<version>/},
 * clean, a valid file path, unique under case folding, never both file and directory; {@code go.mod} only at the
 * root and spelled exactly so; sizes within the limits. Directory entries are allowed and take part in the collision
 * check, as in the go command, though its own zips never contain them.
 *
 * <p>The rules are applied entry by entry, in archive order: a name as soon as it is known, a size once it is (from
 * the directory, or after the content of an entry whose size only follows its data).
 */
final class ModuleZipRules {

    private final String prefix;
    private final ZipLimits limits;
    private final CollisionChecker collisions = new CollisionChecker();
    private long total;

    ModuleZipRules(String prefix, ZipLimits limits) {
        this.prefix = prefix;
        this.limits = limits;
    }

    /** Applies every rule to the entries of a directory, with their declared sizes. */
    static void check(String prefix, List<ZipRecord> entries, ZipLimits limits) throws BadZipException {
        ModuleZipRules rules = new ModuleZipRules(prefix, limits);
        for (ZipRecord e : entries) {
            rules.checkSize(e, rules.checkName(e), e.uncompressedSize());
        }
    }

    /**
     * Applies the rules about names, in archive order.
     *
     * @return the name below the prefix, without a directory's trailing slash; empty for the prefix itself
     */
    String checkName(ZipRecord e) throws BadZipException {
        if (!e.name().startsWith(prefix)) {
            throw fileError(e, "path does not have prefix " + quote(prefix));
        }
        String name = e.name().substring(prefix.length());
        if (name.isEmpty()) {
            return name;
        }
        boolean dir = name.endsWith("/");
        if (dir) {
            name = name.substring(0, name.length() - 1);
        }
        if (!isClean(name)) {
            throw fileError(e, "file path is not clean");
        }
        String reason = ModulePath.filePathError(name);
        if (reason != null) {
            throw fileError(e, "malformed file path " + quote(name) + ": " + reason);
        }
        reason = collisions.add(name, dir);
        if (reason != null) {
            throw fileError(e, reason);
        }
        if (!dir) {
            int slash = name.lastIndexOf('/');
            String base = name.substring(slash + 1);
            if (base.equalsIgnoreCase("go.mod")) {
                if (slash >= 0) {
                    throw fileError(e, "go.mod file not in module root directory");
                }
                if (!name.equals("go.mod")) {
                    throw fileError(e, "go.mod files must have lowercase names");
                }
            }
        }
        return name;
    }

    /**
     * The most content entry {@code e} may have under the limits that the entries before it left open: whoever
     * decompresses it can stop one byte after this, and {@link #checkSize} with that size names the broken limit.
     */
    long sizeLimit(ZipRecord e, String name) {
        if (name.isEmpty()) {
            return limits.maxUncompressed();
        }
        if (e.isDirectory()) {
            return 0;
        }
        long limit = limits.maxUncompressed() - total;
        if (name.equals("go.mod")) {
            limit = Math.min(limit, limits.maxGoMod());
        }
        if (name.equals("LICENSE")) {
            limit = Math.min(limit, limits.maxLicense());
        }
        return limit;
    }

    /** Applies the rules about sizes to an entry of {@code size} bytes, whose name {@link #checkName} returned. */
    void checkSize(ZipRecord e, String name, long size) throws BadZipException {
        if (name.isEmpty()) {
            return;
        }
        if (e.isDirectory()) {
            if (size != 0) {
                throw fileError(e, "directory entry has content");
            }
            return;
        }
        if (size > limits.maxUncompressed() - total) {
            throw new BadZipException("total uncompressed size of module contents too large (max size is "
                    + limits.maxUncompressed() + " bytes)");
        }
        total += size;
        if (name.equals("go.mod") && size > limits.maxGoMod()) {
            throw fileError(e, "go.mod file too large (max size is " + limits.maxGoMod() + " bytes)");
        }
        if (name.equals("LICENSE") && size > limits.maxLicense()) {
            throw fileError(e, "LICENSE file too large (max size is " + limits.maxLicense() + " bytes)");
        }
    }

    /**
     * Go's {@code path.Clean(name) == name} for a non-empty name: no leading or trailing slash, no empty,
     * {@code .} or {@code ..} element. This is what keeps {@code ../} out of an extracted module.
     */
    static boolean isClean(String name) {
        if (name.isEmpty() || name.startsWith("/") || name.endsWith("/")) {
            return false;
        }
        for (String elem : name.split("/", -1)) {
            if (elem.isEmpty() || elem.equals(".") || elem.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static BadZipException fileError(ZipRecord e, String reason) {
        return new BadZipException(quote(e.name()) + ": " + reason);
    }
}
