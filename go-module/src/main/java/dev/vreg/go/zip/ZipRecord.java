package dev.vreg.go.zip;

/**
 * One entry of a zip's central directory, the part of a zip the go command (like {@link java.util.zip.ZipFile})
 * trusts.
 *
 * @param index            position in the central directory
 * @param name             the entry name, decoded as UTF-8 (which round-trips: invalid names are rejected)
 * @param flags            the general purpose flags
 * @param method           the compression method (0 store, 8 deflate)
 * @param crc              the CRC-32 of the uncompressed content
 * @param compressedSize   bytes of stored data
 * @param uncompressedSize bytes of content
 * @param headerOffset     where the entry's local header starts
 * @param madeBy           the "version made by" field, whose high byte names the system that wrote the entry
 * @param externalAttrs    the external file attributes (on Unix, the file mode in the high 16 bits)
 */
record ZipRecord(int index, String name, int flags, int method, long crc, long compressedSize,
                 long uncompressedSize, long headerOffset, int madeBy, long externalAttrs) {

    static final int STORED = 0;
    static final int DEFLATED = 8;

    /** Bit 3: sizes and CRC follow the data in a data descriptor. */
    boolean hasDataDescriptor() {
        return (flags & 0x8) != 0;
    }

    boolean isDirectory() {
        return name.endsWith("/");
    }
}
