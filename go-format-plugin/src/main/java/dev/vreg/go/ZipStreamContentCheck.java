package dev.vreg.go;

import dev.vreg.go.zip.BadZipException;
import dev.vreg.go.zip.ZipLimits;
import dev.vreg.go.zip.ZipStreamCheck;
import dev.vreg.spi.ContentCheck;
import dev.vreg.spi.ContentChecker;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * Checks a {@code .zip} body while it arrives ({@link ZipStreamCheck}) and answers its h1 hash; a zip with an entry
 * that only the whole file can tell about is checked from the file instead ({@link ZipContentCheck}).
 */
final class ZipStreamContentCheck implements ContentChecker {

    private final ZipStreamCheck stream;
    private final ZipContentCheck whole;
    private final String modulePath;
    private final String version;

    ZipStreamContentCheck(String modulePath, String version, ZipLimits limits, ZipContentCheck whole) {
        this.stream = new ZipStreamCheck(modulePath, version, limits);
        this.whole = whole;
        this.modulePath = modulePath;
        this.version = version;
    }

    /** @throws VregException {@link ErrorKind#UPSTREAM_INVALID} at the first byte that breaks a rule */
    @Override
    public void update(ByteBuffer bytes) {
        try {
            stream.update(bytes);
        } catch (BadZipException e) {
            throw VregException.upstreamInvalid(e.getMessage());
        }
    }

    @Override
    public ContentCheck finish(Path file) {
        String h1;
        try {
            h1 = stream.finish().orElseGet(() -> whole.check(modulePath, version, file));
        } catch (BadZipException e) {
            throw VregException.upstreamInvalid(e.getMessage());
        }
        return new ContentCheck(Map.of(GoFormatPlugin.H1, h1));
    }
}
