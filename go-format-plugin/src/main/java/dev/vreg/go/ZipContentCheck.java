package dev.vreg.go;

import dev.vreg.go.zip.BadZipException;
import dev.vreg.go.zip.ZipCheck;
import dev.vreg.go.zip.ZipLimits;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import java.io.IOException;
import java.nio.file.Path;

/** Checks a {@code .zip} body with the go command's rules ({@link ZipCheck}) and answers its h1 hash. */
final class ZipContentCheck {

    private final ZipCheck zipCheck;

    ZipContentCheck(ZipLimits limits) {
        this.zipCheck = new ZipCheck(limits);
    }

    /**
     * The h1 hash of the zip in {@code file}.
     *
     * @throws VregException {@link ErrorKind#UPSTREAM_INVALID} naming the broken rule, or {@link ErrorKind#INTERNAL}
     *                       when the file cannot be read at all
     */
    String check(String modulePath, String version, Path file) {
        try {
            return zipCheck.check(modulePath, version, file);
        } catch (BadZipException e) {
            throw VregException.upstreamInvalid(e.getMessage());
        } catch (IOException e) {
            throw new VregException(ErrorKind.INTERNAL, "could not read the zip for " + modulePath + "@" + version, e);
        }
    }
}
