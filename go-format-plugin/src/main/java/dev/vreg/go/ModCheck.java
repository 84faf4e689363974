package dev.vreg.go;

import dev.vreg.go.hash.DirHash;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a {@code .mod} body's size and computes the hash go.sum records for it
 * ({@code <module> <version>/go.mod h1:...}), streaming the file.
 */
final class ModCheck {

    private final long maxSize;

    ModCheck(long maxSize) {
        this.maxSize = maxSize;
    }

    /** The h1 hash of the go.mod in {@code file}. */
    String check(Path file) {
        try {
            long size = Files.size(file);
            if (size > maxSize) {
                throw VregException.upstreamInvalid("go.mod file too large (max size is " + maxSize + " bytes)");
            }
            try (InputStream in = Files.newInputStream(file)) {
                return DirHash.hashGoMod(in);
            }
        } catch (IOException e) {
            throw new VregException(ErrorKind.INTERNAL, "could not read the go.mod file", e);
        }
    }
}
