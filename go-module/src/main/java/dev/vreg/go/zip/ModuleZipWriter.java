package dev.vreg.go.zip;

import static dev.vreg.go.module.GoQuote.quote;

import dev.vreg.go.hash.DirHash;
import dev.vreg.go.hash.DirHash.FileDigest;
import dev.vreg.go.module.Module;
import dev.vreg.go.module.ModuleException;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes module zips as the go command creates them ({@code zip.Create}, {@code zip.CreateFromDir}): one entry per
 * file named {@code <module>@<version>/<path>}, no directory entries, UTF-8 names, only the files
 * {@link #checkFiles} keeps, within the size limits. It streams: a file's content passes through once (twice when
 * stored, to learn its CRC first) and no zip is ever held in memory.
 *
 * <p>Each write answers the zip's {@code h1:} hash, computed over what was written.
 */
public final class ModuleZipWriter {

    /** How entries are compressed; the go command reads only these two methods. */
    public enum Method { DEFLATE, STORE }

    /** The MS-DOS epoch: what entries without a time get, so that the same files always give the same bytes. */
    public static final LocalDateTime DOS_EPOCH = LocalDateTime.of(1980, 1, 1, 0, 0);

    /** Deflated entries dated {@link #DOS_EPOCH}, with the go command's limits. */
    public static final ModuleZipWriter DEFAULT = new ModuleZipWriter(ZipLimits.DEFAULT, Method.DEFLATE, DOS_EPOCH);

    private static final int BUFFER = 64 * 1024;

    private final ZipLimits limits;
    private final Method method;
    private final LocalDateTime modified;

    /**
     * @param limits   the size limits files are checked against
     * @param method   how entries are compressed
     * @param modified the time every entry is dated, as a local date-time so the bytes do not depend on the time zone
     */
    public ModuleZipWriter(ZipLimits limits, Method method, LocalDateTime modified) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.method = Objects.requireNonNull(method, "method");
        this.modified = Objects.requireNonNull(modified, "modified");
    }

    /** This writer with another compression method. */
    public ModuleZipWriter withMethod(Method other) {
        return new ModuleZipWriter(limits, other, modified);
    }

    /** This writer dating entries {@code time}. */
    public ModuleZipWriter withModified(LocalDateTime time) {
        return new ModuleZipWriter(limits, method, time);
    }

    /** Sorts the offered files into kept, omitted and invalid ({@code zip.CheckFiles}), reading only go.mod. */
    public CheckedFiles checkFiles(List<? extends ModuleFile> files) {
        return FileSelection.of(files, limits).checked();
    }

    /** Lists the directory of a module as {@link #writeDir} would, and sorts the files ({@code zip.CheckDir}). */
    public CheckedFiles checkDir(Path dir) throws IOException {
        DirectoryFiles.Listing listing = DirectoryFiles.list(dir);
        CheckedFiles checked = checkFiles(listing.files());
        List<FileError> omitted = new ArrayList<>(listing.omitted());
        omitted.addAll(checked.omitted());
        return new CheckedFiles(checked.valid(), omitted, checked.invalid(), checked.sizeError());
    }

    /**
     * Writes the zip of {@code modulePath@version} made of {@code files} to {@code out}, which is left open.
     *
     * @return the zip's h1 hash, as go.sum records it
     * @throws ModuleException when the version is not canonical or does not belong to the module path
     * @throws BadZipException when a file makes the zip impossible ({@link CheckedFiles#problem}), or yields more
     *                         bytes than its size said; nothing has been written in the first case
     */
    public String write(OutputStream out, String modulePath, String version, List<? extends ModuleFile> files)
            throws IOException, BadZipException {
        List<FileSelection.Selected> selected = select(modulePath, version, files);
        String prefix = modulePath + "@" + version + "/";
        List<FileDigest> digests = new ArrayList<>(selected.size());
        ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(new KeepOpen(out), BUFFER),
                StandardCharsets.UTF_8);
        for (FileSelection.Selected s : selected) {
            digests.add(new FileDigest(prefix + s.file().path(), entry(zip, prefix, s)));
        }
        zip.finish();
        zip.flush();
        return DirHash.hash1(digests);
    }

    /**
     * Writes the zip of the module in {@code dir} ({@code zip.CreateFromDir}): the files {@link #checkDir} keeps.
     *
     * @return the zip's h1 hash
     */
    public String writeDir(OutputStream out, String modulePath, String version, Path dir)
            throws IOException, BadZipException {
        return write(out, modulePath, version, DirectoryFiles.list(dir).files());
    }

    /** The h1 hash {@link #write} would answer for these files, without writing a zip. */
    public String hash(String modulePath, String version, List<? extends ModuleFile> files)
            throws IOException, BadZipException {
        String prefix = modulePath + "@" + version + "/";
        List<FileDigest> digests = new ArrayList<>();
        for (FileSelection.Selected s : select(modulePath, version, files)) {
            MessageDigest sha = DirHash.sha256();
            copy(s, new DigestingOutput(OutputStream.nullOutputStream(), sha, null));
            digests.add(new FileDigest(prefix + s.file().path(), sha.digest()));
        }
        return DirHash.hash1(digests);
    }

    private List<FileSelection.Selected> select(String modulePath, String version, List<? extends ModuleFile> files)
            throws BadZipException {
        String canonical = Module.canonicalVersion(version);
        if (!canonical.equals(version)) {
            throw new ModuleException("version " + quote(version) + " is not canonical (should be "
                    + quote(canonical) + ")");
        }
        Module.check(modulePath, version);
        FileSelection selection = FileSelection.of(files, limits);
        String problem = selection.checked().problem();
        if (problem != null) {
            throw new BadZipException(problem);
        }
        return selection.selected();
    }

    /** Writes one entry and answers the SHA-256 of its content. */
    private byte[] entry(ZipOutputStream zip, String prefix, FileSelection.Selected s)
            throws IOException, BadZipException {
        ZipEntry entry = new ZipEntry(prefix + s.file().path());
        entry.setTimeLocal(modified);
        if (method == Method.STORE) {
            // A stored entry's header carries its CRC and size, so the content is read once more to learn them.
            CRC32 crc = new CRC32();
            long size = copy(s, new DigestingOutput(OutputStream.nullOutputStream(), null, crc));
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(size);
            entry.setCompressedSize(size);
            entry.setCrc(crc.getValue());
        } else {
            entry.setMethod(ZipEntry.DEFLATED);
        }
        zip.putNextEntry(entry);
        MessageDigest sha = DirHash.sha256();
        copy(s, new DigestingOutput(zip, sha, null));
        zip.closeEntry();
        return sha.digest();
    }

    /** Writes the file's content, refusing more bytes than it was offered with ({@code io.LimitedReader}). */
    private static long copy(FileSelection.Selected s, DigestingOutput out) throws IOException, BadZipException {
        out.limit = s.size();
        try {
            s.file().writeTo(out);
        } catch (TooLarge e) {
            throw new BadZipException("file " + quote(s.file().path()) + " is larger than declared size");
        }
        return out.count;
    }

    /** Counts, digests and forwards what is written, up to a limit; never closes what it writes to. */
    private static final class DigestingOutput extends FilterOutputStream {

        private final MessageDigest sha;
        private final CRC32 crc;
        private long limit = Long.MAX_VALUE;
        private long count;

        DigestingOutput(OutputStream out, MessageDigest sha, CRC32 crc) {
            super(out);
            this.sha = sha;
            this.crc = crc;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > limit - count) {
                throw new TooLarge();
            }
            count += len;
            if (sha != null) {
                sha.update(b, off, len);
            }
            if (crc != null) {
                crc.update(b, off, len);
            }
            out.write(b, off, len);
        }

        @Override
        public void close() {
            // The zip stream stays open for the next entry.
        }
    }

    /** Thrown through a file's {@code writeTo} when it writes more than its size. */
    private static final class TooLarge extends IOException {
        TooLarge() {
            super(null, null);
        }
    }

    /** Lets the caller's stream outlive the zip stream wrapped around it. */
    private static final class KeepOpen extends FilterOutputStream {

        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
