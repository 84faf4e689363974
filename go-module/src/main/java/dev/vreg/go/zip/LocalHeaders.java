package dev.vreg.go.zip;

import static dev.vreg.go.module.GoQuote.quote;
import static dev.vreg.go.zip.Bytes.u16;
import static dev.vreg.go.zip.Bytes.u32;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Checks that every local file header agrees with its central directory entry and that no two entries share
 * bytes. The go command reads only the directory, but streaming unzip tools read the local headers: a zip whose two
 * views disagree would show different files to different readers, and overlapping entries are the classic way to
 * build a zip bomb.
 */
final class LocalHeaders {

    private static final int LOCAL_SIG = 0x04034b50;
    private static final int LOCAL_LEN = 30;
    private static final int DESCRIPTOR_SIG = 0x08074b50;
    private static final long U32_MAX = 0xFFFFFFFFL;

    private record Extent(String name, long start, long end) {
    }

    private LocalHeaders() {
    }

    static void verify(FileChannel ch, List<ZipRecord> entries, long directoryOffset)
            throws IOException, BadZipException {
        Extent[] extents = new Extent[entries.size()];
        for (ZipRecord e : entries) {
            extents[e.index()] = extent(ch, e, directoryOffset);
        }
        Arrays.sort(extents, Comparator.comparingLong(Extent::start));
        for (int i = 1; i < extents.length; i++) {
            if (extents[i].start < extents[i - 1].end) {
                throw new BadZipException("entries " + quote(extents[i - 1].name) + " and " + quote(extents[i].name)
                        + " overlap");
            }
        }
    }

    private static Extent extent(FileChannel ch, ZipRecord e, long directoryOffset)
            throws IOException, BadZipException {
        String name = quote(e.name());
        if (e.headerOffset() > directoryOffset - LOCAL_LEN) {
            throw new BadZipException("entry " + name + ": local header out of bounds");
        }
        ByteBuffer h = Bytes.read(ch, e.headerOffset(), LOCAL_LEN);
        if (h.getInt(0) != LOCAL_SIG) {
            throw new BadZipException("entry " + name + ": no local header where the directory says");
        }
        int nameLen = u16(h, 26);
        int extraLen = u16(h, 28);
        long dataStart = e.headerOffset() + LOCAL_LEN + nameLen + extraLen;
        long dataEnd = dataStart + e.compressedSize();
        if (e.compressedSize() > directoryOffset || dataEnd > directoryOffset) {
            throw new BadZipException("entry " + name + ": data runs into the central directory");
        }
        ByteBuffer nameAndExtra = Bytes.read(ch, e.headerOffset() + LOCAL_LEN, nameLen + extraLen);
        byte[] localName = new byte[nameLen];
        nameAndExtra.get(localName);
        if (!Arrays.equals(localName, e.name().getBytes(StandardCharsets.UTF_8))) {
            throw new BadZipException("entry " + name + ": local header names a different file");
        }
        if (u16(h, 8) != e.method()) {
            throw new BadZipException("entry " + name + ": local header has a different compression method");
        }
        long end = dataEnd;
        if (e.hasDataDescriptor()) {
            end = checkDescriptor(ch, e, dataEnd, directoryOffset);
        } else {
            long crc = u32(h, 14);
            long csize = u32(h, 18);
            long usize = u32(h, 22);
            if (csize == U32_MAX || usize == U32_MAX) {
                long[] sizes = zip64Sizes(nameAndExtra.slice(nameLen, extraLen));
                if (sizes == null) {
                    throw new BadZipException("entry " + name + ": local header lacks its ZIP64 sizes");
                }
                usize = sizes[0];
                csize = sizes[1];
            }
            if (crc != e.crc() || csize != e.compressedSize() || usize != e.uncompressedSize()) {
                throw new BadZipException("entry " + name + ": local header sizes or CRC differ from the directory");
            }
        }
        return new Extent(e.name(), e.headerOffset(), end);
    }

    /** Checks the CRC in the data descriptor after the data, as the go command does; returns where it ends. */
    private static long checkDescriptor(FileChannel ch, ZipRecord e, long dataEnd, long directoryOffset)
            throws IOException, BadZipException {
        String name = quote(e.name());
        if (dataEnd + 4 > directoryOffset) {
            throw new BadZipException("entry " + name + ": data descriptor missing");
        }
        long at = dataEnd;
        if (Bytes.read(ch, at, 4).getInt(0) == DESCRIPTOR_SIG) {
            at += 4;
        }
        // CRC plus two sizes of at least 32 bits each follow.
        if (at + 12 > directoryOffset) {
            throw new BadZipException("entry " + name + ": data descriptor missing");
        }
        if (u32(Bytes.read(ch, at, 4), 0) != e.crc()) {
            throw new BadZipException("entry " + name + ": data descriptor CRC differs from the directory");
        }
        return at + 12;
    }

    /** {uncompressed, compressed} from a local ZIP64 extra field, or null when there is none. */
    static long[] zip64Sizes(ByteBuffer extra) {
        ByteBuffer x = extra.order(ByteOrder.LITTLE_ENDIAN);
        while (x.remaining() >= 4) {
            int tag = Short.toUnsignedInt(x.getShort());
            int len = Short.toUnsignedInt(x.getShort());
            if (len > x.remaining()) {
                return null;
            }
            if (tag == 0x0001 && len >= 16) {
                return new long[] {x.getLong(x.position()), x.getLong(x.position() + 8)};
            }
            x.position(x.position() + len);
        }
        return null;
    }
}
