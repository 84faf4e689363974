package dev.vreg.go.zip;

import static dev.vreg.go.module.GoQuote.quote;

/**
 * Whether a central directory entry describes the local entry at its offset as it was read: the go command reads
 * the directory, a streaming reader the local headers, and both must see the same file with the same content.
 */
final class DirectoryMatch {

    /**
     * A local entry as its header declared it and as its data turned out.
     *
     * @param local          the local header
     * @param crc            the CRC-32 of the content
     * @param compressed     the bytes of data
     * @param content        the bytes of content
     * @param descriptorCrc  the CRC in its data descriptor, when it has one
     */
    record Found(ZipRecord local, long crc, long compressed, long content, long descriptorCrc) {
    }

    private DirectoryMatch() {
    }

    static void verify(ZipRecord e, Found found) throws BadZipException {
        ZipRecord local = found.local();
        String name = quote(e.name());
        if (!e.name().equals(local.name())) {
            throw new BadZipException("entry " + name + ": local header names a different file");
        }
        if (e.method() != local.method()) {
            throw new BadZipException("entry " + name + ": local header has a different compression method");
        }
        if (e.hasDataDescriptor() != local.hasDataDescriptor()) {
            throw new BadZipException("entry " + name + ": local header and directory disagree about a data"
                    + " descriptor");
        }
        if (e.uncompressedSize() != found.content()) {
            throw new BadZipException("uncompressed size of file " + name + " is "
                    + (found.content() > e.uncompressedSize() ? "larger" : "smaller") + " than declared size ("
                    + e.uncompressedSize() + " bytes)");
        }
        if (e.compressedSize() != found.compressed()) {
            throw new BadZipException("entry " + name + ": the directory gives " + e.compressedSize()
                    + " bytes of compressed data, not the " + found.compressed() + " there are");
        }
        // Without a data descriptor a zero CRC means "not recorded" to the go command; with one it is binding.
        if ((e.hasDataDescriptor() || e.crc() != 0) && found.crc() != e.crc()) {
            throw new BadZipException("file " + name + " fails its CRC-32 check");
        }
        if (e.hasDataDescriptor() ? found.descriptorCrc() != e.crc() : local.crc() != e.crc()) {
            throw new BadZipException("entry " + name + (e.hasDataDescriptor()
                    ? ": data descriptor CRC differs from the directory"
                    : ": local header sizes or CRC differ from the directory"));
        }
    }
}
