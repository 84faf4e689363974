package dev.vreg.go.zip;

/**
 * Size limits for module zips ({@code golang.org/x/mod/zip}), plus a cap on the number of entries.
 *
 * @param maxZipFile      the largest zip file, in bytes
 * @param maxUncompressed the largest total uncompressed size of all files, in bytes
 * @param maxGoMod        the largest root {@code go.mod}, in bytes
 * @param maxLicense      the largest root {@code LICENSE}, in bytes
 * @param maxEntries      the most entries a zip may have. The go command has no such limit; it is here because
 *                        checking keeps a little state per entry, and a 500 MiB directory of tiny entries would
 *                        otherwise cost gigabytes of memory. The default is far above any published module.
 */
public record ZipLimits(long maxZipFile, long maxUncompressed, long maxGoMod, long maxLicense, int maxEntries) {

    /** The go command's limits: 500 MiB zip and contents, 16 MiB go.mod and LICENSE. */
    public static final ZipLimits DEFAULT = new ZipLimits(500L << 20, 500L << 20, 16L << 20, 16L << 20, 1 << 20);
}
