package dev.vreg.go.zip;

import static dev.vreg.go.module.GoQuote.quote;

import dev.vreg.go.module.ModulePath;
import java.util.List;

/**
 * The rules of {@code zip.CheckZip} that need only the directory: every name under {@code <module>@<version>/},
 * clean, a valid file path, unique under case folding, never both file and directory; {@code go.mod} only at the
 * root and spelled exactly so; declared sizes within the limits. Directory entries are allowed and take part in
 * the collision check, as in the go command, though its own zips never contain them.
 */
final class ModuleZipRules {

    private ModuleZipRules() {
    }

    static void check(String prefix, List<ZipRecord> entries, ZipLimits limits) throws BadZipException {
        CollisionChecker collisions = new CollisionChecker();
        long total = 0;
        for (ZipRecord e : entries) {
            if (!e.name().startsWith(prefix)) {
                throw fileError(e, "path does not have prefix " + quote(prefix));
            }
            String name = e.name().substring(prefix.length());
            if (name.isEmpty()) {
                continue;
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
            if (dir) {
                if (e.uncompressedSize() != 0) {
                    throw fileError(e, "directory entry has content");
                }
                continue;
            }
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
            long size = e.uncompressedSize();
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
