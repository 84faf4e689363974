package dev.vreg.go.zip;

import static dev.vreg.go.module.GoQuote.quote;
import static dev.vreg.go.zip.Bytes.u16;
import static dev.vreg.go.zip.Bytes.u32;
import static dev.vreg.go.zip.Bytes.u64;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a zip's central directory: the end record (ZIP64 included) and every directory entry. It is stricter than
 * the go command about layout (the directory must sit right before its end record, the end record must end the
 * file) because a registry has no use for zips with bytes nobody reads in unexpected places.
 */
final class CentralDirectory {

    private static final int END_SIG = 0x06054b50;
    private static final int END_LEN = 22;
    private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
    private static final int ZIP64_LOCATOR_LEN = 20;
    private static final int ZIP64_END_SIG = 0x06064b50;
    private static final int ZIP64_END_LEN = 56;
    private static final int ENTRY_SIG = 0x02014b50;
    private static final int ENTRY_LEN = 46;
    private static final long U16_MAX = 0xFFFF;
    private static final long U32_MAX = 0xFFFFFFFFL;

    /**
     * The directory of one zip.
     *
     * @param offset  where the directory starts; every entry's data lies before it
     * @param entries the entries in directory order
     */
    record Directory(long offset, List<ZipRecord> entries) {
    }

    private CentralDirectory() {
    }

    static Directory read(FileChannel ch, long fileSize, int maxEntries) throws IOException, BadZipException {
        if (fileSize < END_LEN) {
            throw new BadZipException("not a zip file: too short");
        }
        int tailLen = (int) Math.min(fileSize, END_LEN + U16_MAX);
        long tailStart = fileSize - tailLen;
        ByteBuffer tail = Bytes.read(ch, tailStart, tailLen);
        int at = -1;
        for (int i = tailLen - END_LEN; i >= 0; i--) {
            if (tail.getInt(i) == END_SIG && i + END_LEN + u16(tail, i + 20) == tailLen) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            throw new BadZipException("not a zip file: no end of central directory record at the end of the file");
        }
        long endPos = tailStart + at;
        if (u16(tail, at + 4) != 0 || u16(tail, at + 6) != 0 || u16(tail, at + 8) != u16(tail, at + 10)) {
            throw new BadZipException("multi-disk zip files are not supported");
        }
        long count = u16(tail, at + 10);
        long size = u32(tail, at + 12);
        long offset = u32(tail, at + 16);
        long directoryEnd = endPos;
        if (count == U16_MAX || size == U32_MAX || offset == U32_MAX) {
            if (endPos < ZIP64_LOCATOR_LEN) {
                throw new BadZipException("ZIP64 end of central directory locator missing");
            }
            ByteBuffer locator = Bytes.read(ch, endPos - ZIP64_LOCATOR_LEN, ZIP64_LOCATOR_LEN);
            if (locator.getInt(0) != ZIP64_LOCATOR_SIG || u32(locator, 4) != 0 || u32(locator, 16) > 1) {
                throw new BadZipException("ZIP64 end of central directory locator missing");
            }
            long zip64End = u64(locator, 8);
            if (zip64End < 0 || zip64End + ZIP64_END_LEN > endPos - ZIP64_LOCATOR_LEN) {
                throw new BadZipException("ZIP64 end of central directory record out of bounds");
            }
            ByteBuffer end64 = Bytes.read(ch, zip64End, ZIP64_END_LEN);
            if (end64.getInt(0) != ZIP64_END_SIG || u32(end64, 16) != 0 || u32(end64, 20) != 0
                    || u64(end64, 24) != u64(end64, 32)) {
                throw new BadZipException("invalid ZIP64 end of central directory record");
            }
            count = u64(end64, 32);
            size = u64(end64, 40);
            offset = u64(end64, 48);
            directoryEnd = zip64End;
        }
        if (count < 0 || count > maxEntries) {
            throw new BadZipException("too many entries (limit is " + maxEntries + ")");
        }
        if (offset < 0 || size < 0 || offset + size != directoryEnd) {
            throw new BadZipException("central directory does not end where its end record begins");
        }
        if (size < count * ENTRY_LEN) {
            throw new BadZipException("central directory too small for " + count + " entries");
        }
        return new Directory(offset, readEntries(ch, offset, size, (int) count));
    }

    private static List<ZipRecord> readEntries(FileChannel ch, long offset, long size, int count)
            throws IOException, BadZipException {
        List<ZipRecord> entries = new ArrayList<>(count);
        ch.position(offset);
        InputStream in = new BufferedInputStream(Channels.newInputStream(ch), 64 * 1024);
        long consumed = 0;
        ByteBuffer fixed = ByteBuffer.allocate(ENTRY_LEN).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            readFully(in, fixed.array());
            if (fixed.getInt(0) != ENTRY_SIG) {
                throw new BadZipException("invalid central directory entry " + i);
            }
            int nameLen = u16(fixed, 28);
            int extraLen = u16(fixed, 30);
            int commentLen = u16(fixed, 32);
            consumed += ENTRY_LEN + nameLen + extraLen + commentLen;
            if (consumed > size) {
                throw new BadZipException("central directory entry " + i + " runs past the directory");
            }
            byte[] rawName = new byte[nameLen];
            readFully(in, rawName);
            byte[] extra = new byte[extraLen];
            readFully(in, extra);
            readFully(in, new byte[commentLen]);
            entries.add(entry(i, fixed, rawName, extra));
        }
        if (consumed != size) {
            throw new BadZipException("central directory has bytes after its last entry");
        }
        return entries;
    }

    static ZipRecord entry(int index, ByteBuffer fixed, byte[] rawName, byte[] extra)
            throws BadZipException {
        long csize = u32(fixed, 20);
        long usize = u32(fixed, 24);
        long headerOffset = u32(fixed, 42);
        boolean needU = usize == U32_MAX;
        boolean needC = csize == U32_MAX;
        boolean needOffset = headerOffset == U32_MAX;
        ByteBuffer x = ByteBuffer.wrap(extra).order(ByteOrder.LITTLE_ENDIAN);
        while (x.remaining() >= 4 && (needU || needC || needOffset)) {
            int tag = Short.toUnsignedInt(x.getShort());
            int len = Short.toUnsignedInt(x.getShort());
            if (len > x.remaining()) {
                break;
            }
            ByteBuffer field = x.slice(x.position(), len).order(ByteOrder.LITTLE_ENDIAN);
            x.position(x.position() + len);
            if (tag != 0x0001) {
                continue;
            }
            // ZIP64 values appear in this order, each only when its 32-bit field is saturated.
            if (needU && field.remaining() >= 8) {
                usize = field.getLong();
                needU = false;
            }
            if (needC && field.remaining() >= 8) {
                csize = field.getLong();
                needC = false;
            }
            if (needOffset && field.remaining() >= 8) {
                headerOffset = field.getLong();
                needOffset = false;
            }
        }
        String name = decodeName(rawName, index);
        if (needU || needC || needOffset || usize < 0 || csize < 0 || headerOffset < 0) {
            throw new BadZipException("entry " + quote(name) + ": invalid ZIP64 sizes");
        }
        int flags = u16(fixed, 8);
        int method = u16(fixed, 10);
        if ((flags & 0x41) != 0) {
            throw new BadZipException("entry " + quote(name) + ": encrypted entries are not supported");
        }
        if (method != ZipRecord.STORED && method != ZipRecord.DEFLATED) {
            throw new BadZipException("entry " + quote(name) + ": unsupported compression method " + method
                    + " (only store and deflate are allowed)");
        }
        if (method == ZipRecord.STORED && csize != usize) {
            throw new BadZipException("entry " + quote(name) + ": stored entry with compressed size " + csize
                    + " and uncompressed size " + usize);
        }
        return new ZipRecord(index, name, flags, method, u32(fixed, 16), csize, usize, headerOffset, u16(fixed, 4),
                u32(fixed, 38));
    }

    static String decodeName(byte[] rawName, int index) throws BadZipException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(rawName))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new BadZipException("entry " + index + ": name is not valid UTF-8");
        }
    }

    private static void readFully(InputStream in, byte[] b) throws IOException {
        if (in.readNBytes(b, 0, b.length) != b.length) {
            throw new EOFException();
        }
    }
}
