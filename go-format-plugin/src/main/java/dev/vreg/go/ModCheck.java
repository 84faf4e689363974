package dev.vreg.go;

import dev.vreg.go.hash.DirHash;
import dev.vreg.go.module.ModuleDirective;
import dev.vreg.go.module.ModuleException;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Checks a {@code .mod} body the way the go command does before it uses a module version's go.mod: no larger than
 * its limit, readable by {@code modfile.ParseLax}, and with a module directive naming the module it was requested
 * for ("module declares its path as ... but was required as ..."). Answers the hash go.sum records for it
 * ({@code <module> <version>/go.mod h1:...}).
 */
final class ModCheck {

    private final long maxSize;

    ModCheck(long maxSize) {
        this.maxSize = maxSize;
    }

    /** The h1 hash of the go.mod in {@code file}, requested as the go.mod of {@code modulePath@version}. */
    String check(String modulePath, String version, Path file) {
        byte[] goMod;
        try {
            long size = Files.size(file);
            if (size > maxSize) {
                throw VregException.upstreamInvalid("go.mod file too large (max size is " + maxSize + " bytes)");
            }
            goMod = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new VregException(ErrorKind.INTERNAL, "could not read the go.mod file", e);
        }
        String invalid = "invalid go.mod for " + modulePath + "@" + version + ": ";
        Optional<String> declared;
        try {
            declared = ModuleDirective.declaredPath(goMod);
        } catch (ModuleException e) {
            throw VregException.upstreamInvalid(invalid + e.getMessage());
        }
        if (declared.isEmpty()) {
            throw VregException.upstreamInvalid(invalid + "missing module line");
        }
        if (!declared.get().equals(modulePath)) {
            throw VregException.upstreamInvalid(invalid + "module declares its path as " + declared.get()
                    + ", but was required as " + modulePath);
        }
        return DirHash.hashGoMod(goMod);
    }
}
