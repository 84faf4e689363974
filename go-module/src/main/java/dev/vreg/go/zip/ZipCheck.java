package dev.vreg.go.zip;

import dev.vreg.go.hash.DirHash;
import dev.vreg.go.module.Module;
import dev.vreg.go.module.ModuleException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Validates a module zip as the go command would before trusting it ({@code zip.CheckZip}, then
 * {@code dirhash.HashZip}), and computes its {@code h1:} hash.
 *
 * <p>The checks run cheapest first: the file size, then the central directory alone (names, declared sizes,
 * compression methods), then the local headers against it, and only then the content, which is streamed entry by
 * entry and never held in memory. Blocking: call it on a worker thread.
 */
public final class ZipCheck {

    private final ZipLimits limits;

    public ZipCheck(ZipLimits limits) {
        this.limits = limits;
    }

    /**
     * Checks {@code zip} as the archive of {@code modulePath@version} and returns its h1 hash.
     *
     * @throws IllegalArgumentException when the version is not canonical or does not belong to the module path
     * @throws BadZipException          naming the broken rule ({@code invalid zip for <module>@<version>: ...})
     * @throws IOException              when the file cannot be read at all
     */
    public String check(String modulePath, String version, Path zip) throws BadZipException, IOException {
        String module = module(modulePath, version);
        try {
            return hash(module + "/", zip);
        } catch (BadZipException | ZipException e) {
            throw new BadZipException("invalid zip for " + module + ": " + e.getMessage());
        }
    }

    /**
     * {@code modulePath@version}, once the version is known to be canonical and to belong to the module path.
     *
     * @throws IllegalArgumentException when it is not
     */
    static String module(String modulePath, String version) {
        if (!Module.canonicalVersion(version).equals(version)) {
            throw new IllegalArgumentException("version " + version + " is not canonical");
        }
        try {
            Module.check(modulePath, version);
        } catch (ModuleException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return modulePath + "@" + version;
    }

    private String hash(String prefix, Path zip) throws IOException, BadZipException {
        try (FileChannel ch = FileChannel.open(zip, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > limits.maxZipFile()) {
                throw new BadZipException("module zip file is too large (" + size + " bytes; limit is "
                        + limits.maxZipFile() + " bytes)");
            }
            CentralDirectory.Directory dir = CentralDirectory.read(ch, size, limits.maxEntries());
            ModuleZipRules.check(prefix, dir.entries(), limits);
            LocalHeaders.verify(ch, dir.entries(), dir.offset());
            try (ZipFile z = new ZipFile(zip.toFile(), StandardCharsets.UTF_8)) {
                return DirHash.hash1(EntryDigests.digest(z, dir.entries()));
            }
        } catch (java.io.EOFException e) {
            throw new BadZipException("unexpected end of file");
        }
    }
}
