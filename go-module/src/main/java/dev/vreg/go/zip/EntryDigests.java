package dev.vreg.go.zip;

import static dev.vreg.go.module.GoQuote.quote;

import dev.vreg.go.hash.DirHash;
import dev.vreg.go.hash.DirHash.FileDigest;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads every entry through {@link ZipFile} and digests it, trusting nothing it declares: a file may not yield more
 * bytes than its declared size (which is how a zip bomb is stopped after reading only what was promised), must
 * yield exactly that many, and must match its CRC-32 under the go command's rule.
 */
final class EntryDigests {

    private EntryDigests() {
    }

    /**
     * Checks that {@link ZipFile} sees the same entries as {@link CentralDirectory}, then digests each one.
     *
     * @return one digest per entry, under its full name, for {@link DirHash#hash1}
     */
    static List<FileDigest> digest(ZipFile zip, List<ZipRecord> entries) throws IOException, BadZipException {
        List<FileDigest> digests = new ArrayList<>(entries.size());
        Enumeration<? extends ZipEntry> seen = zip.entries();
        byte[] buf = new byte[64 * 1024];
        for (ZipRecord e : entries) {
            ZipEntry entry = seen.hasMoreElements() ? seen.nextElement() : null;
            if (entry == null || !entry.getName().equals(e.name()) || entry.getSize() != e.uncompressedSize()
                    || entry.getCompressedSize() != e.compressedSize() || entry.getMethod() != e.method()) {
                throw new BadZipException("zip directory is ambiguous: readers disagree about entry " + e.index());
            }
            byte[] sha256 = e.isDirectory() ? DirHash.sha256().digest() : read(zip, entry, e, buf);
            digests.add(new FileDigest(e.name(), sha256));
        }
        if (seen.hasMoreElements()) {
            throw new BadZipException("zip directory is ambiguous: readers disagree about the number of entries");
        }
        return digests;
    }

    private static byte[] read(ZipFile zip, ZipEntry entry, ZipRecord e, byte[] buf)
            throws IOException, BadZipException {
        MessageDigest sha = DirHash.sha256();
        CRC32 crc = new CRC32();
        long declared = e.uncompressedSize();
        long count = 0;
        try (InputStream in = zip.getInputStream(entry)) {
            for (int n; (n = in.read(buf, 0, (int) Math.min(buf.length, declared - count + 1))) > 0; ) {
                count += n;
                if (count > declared) {
                    throw new BadZipException("uncompressed size of file " + quote(e.name())
                            + " is larger than declared size (" + declared + " bytes)");
                }
                sha.update(buf, 0, n);
                crc.update(buf, 0, n);
            }
        } catch (java.util.zip.ZipException ex) {
            throw new BadZipException("file " + quote(e.name()) + " cannot be decompressed: " + ex.getMessage());
        } catch (java.io.EOFException ex) {
            throw new BadZipException("file " + quote(e.name()) + " is truncated");
        }
        if (count != declared) {
            throw new BadZipException("uncompressed size of file " + quote(e.name())
                    + " is smaller than declared size (" + declared + " bytes)");
        }
        // Without a data descriptor a zero CRC means "not recorded" to the go command; with one it is binding.
        if ((e.hasDataDescriptor() || e.crc() != 0) && crc.getValue() != e.crc()) {
            throw new BadZipException("file " + quote(e.name()) + " fails its CRC-32 check");
        }
        return sha.digest();
    }
}
