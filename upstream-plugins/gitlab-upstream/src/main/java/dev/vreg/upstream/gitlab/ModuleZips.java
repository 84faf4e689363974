package dev.vreg.upstream.gitlab;

import dev.vreg.go.zip.BadZipException;
import dev.vreg.go.zip.ModuleFile;
import dev.vreg.go.zip.ModuleZipWriter;
import dev.vreg.go.zip.ZipEntryTypes;
import dev.vreg.go.zip.ZipLimits;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Makes the module zip of a version from GitLab's archive of the module's directory, as the go command makes it
 * from {@code git archive} ({@code codeRepo.Zip}): the archive's one top-level directory and the module's directory
 * are stripped, directories are dropped, the root LICENSE is added to a module in a subdirectory that has none, and
 * the files go through the module zip rules (no vendored packages, no nested modules, no links, the size limits)
 * into {@code <module>@<version>/...} entries. Archive and zip are temporary files; the repacking runs on a worker
 * thread.
 */
final class ModuleZips {

    /** The go command's limit on an archive downloaded from a code host. */
    static final long MAX_ARCHIVE = 500L << 20;
    static final long MAX_LICENSE = 16L << 20;

    private final Vertx vertx;

    ModuleZips(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Writes the zip of {@code version} to {@code zipFile}; {@code workDir} holds the downloaded archive. */
    Future<Void> write(ModuleRepo repo, Revisions revisions, String version, Path workDir, Path zipFile) {
        Future<?> checked = revisions.needsCheck(version) ? revisions.stat(version) : Future.succeededFuture();
        Path archive = workDir.resolve("archive.zip");
        return checked.compose(v -> repo.findDir(version)).compose(dir -> {
            Future<Optional<Buffer>> license = dir.dir().isEmpty() ? Future.succeededFuture(Optional.empty())
                    : repo.code.readFile(dir.commit(), "LICENSE", MAX_LICENSE);
            return repo.code.archive(dir.commit(), dir.dir(), archive.toString(), MAX_ARCHIVE)
                    .compose(size -> license)
                    .compose(rootLicense -> vertx.executeBlocking(() -> {
                        repack(archive, dir.dir(), rootLicense.map(Buffer::getBytes).orElse(null), repo.modPath,
                                version, zipFile);
                        return null;
                    }, false));
        });
    }

    static void repack(Path archive, String subdir, byte[] rootLicense, String modPath, String version, Path zipFile)
            throws IOException {
        Map<String, ModuleFile.Type> types;
        try {
            types = ZipEntryTypes.read(archive, ZipLimits.DEFAULT);
        } catch (BadZipException e) {
            throw new VregException(ErrorKind.UPSTREAM_INVALID, "GitLab's archive is not a valid zip: "
                    + e.getMessage());
        }
        String prefix = subdir.isEmpty() ? "" : subdir + "/";
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            List<ModuleFile> files = new ArrayList<>();
            boolean haveLicense = false;
            String top = null;
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                String full = entry.getName();
                if (top == null) {
                    int slash = full.indexOf('/');
                    if (slash < 0) {
                        throw new VregException(ErrorKind.UPSTREAM_INVALID,
                                "GitLab's archive has no top-level directory");
                    }
                    top = full.substring(0, slash + 1);
                }
                if (!full.startsWith(top)) {
                    throw new VregException(ErrorKind.UPSTREAM_INVALID,
                            "GitLab's archive has more than one top-level directory");
                }
                String name = full.substring(top.length());
                if (!name.startsWith(prefix)) {
                    continue;
                }
                name = name.substring(prefix.length());
                if (name.isEmpty() || name.endsWith("/")) {
                    continue;
                }
                files.add(new ArchivedFile(zip, entry, name, types.getOrDefault(full, ModuleFile.Type.REGULAR)));
                haveLicense |= name.equals("LICENSE");
            }
            if (!haveLicense && !subdir.isEmpty() && rootLicense != null) {
                files.add(ModuleFile.of("LICENSE", rootLicense));
            }
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(zipFile), 64 * 1024)) {
                ModuleZipWriter.DEFAULT.write(out, modPath, version, files);
            } catch (BadZipException e) {
                throw new VregException(ErrorKind.UPSTREAM_INVALID, "the module zip of " + modPath + "@" + version
                        + " cannot be made: " + e.getMessage());
            }
        }
    }

    /** One entry of the archive, read from the archive file when the zip is written. */
    private record ArchivedFile(ZipFile zip, ZipEntry entry, String path, Type kind) implements ModuleFile {

        @Override
        public Type type() {
            return kind;
        }

        @Override
        public long size() {
            return entry.getSize();
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try (InputStream in = zip.getInputStream(entry)) {
                in.transferTo(out);
            }
        }
    }
}
