package dev.vreg.go.info;

import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Validates the {@code .info} of a canonical version before it is cached for good: the go command rejects an info
 * that names another version than the one it asked for, or that it cannot parse, and a cached bad answer would
 * fail every client until it expired, which for immutable content is never.
 */
public final class InfoCheck {

    private final long maxSize;

    public InfoCheck(long maxSize) {
        this.maxSize = maxSize;
    }

    /**
     * Checks that {@code file} is the info of {@code version}.
     *
     * @throws VregException UPSTREAM_INVALID naming the rule, INTERNAL when the file cannot be read
     */
    public void check(String version, Path file) {
        byte[] body;
        try (InputStream in = Files.newInputStream(file)) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxSize + 1));
        } catch (IOException e) {
            throw new VregException(ErrorKind.INTERNAL, "could not read the info file", e);
        }
        if (body.length > maxSize) {
            throw VregException.upstreamInvalid("info file too large (max size is " + maxSize + " bytes)");
        }
        InfoJson.Info info;
        try {
            info = InfoJson.parse(body);
        } catch (InfoJson.InvalidInfoException e) {
            throw VregException.upstreamInvalid("invalid info for version " + version + ": " + e.getMessage());
        }
        if (info.version() == null) {
            throw VregException.upstreamInvalid(
                    "proxy returned info without a version instead of requested version " + version);
        }
        if (!info.version().equals(version)) {
            throw VregException.upstreamInvalid("proxy returned info for version " + info.version()
                    + " instead of requested version " + version);
        }
    }
}
