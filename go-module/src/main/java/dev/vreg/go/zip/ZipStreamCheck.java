package dev.vreg.go.zip;

import static dev.vreg.go.module.GoQuote.quote;
import static dev.vreg.go.zip.Bytes.u16;
import static dev.vreg.go.zip.Bytes.u32;
import static dev.vreg.go.zip.Bytes.u64;

import dev.vreg.go.hash.DirHash;
import dev.vreg.go.hash.DirHash.FileDigest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.zip.Inflater;

/**
 * {@link ZipCheck} in one pass over the bytes as they arrive, for a zip that is being received: the same rules and
 * the same {@code h1:}, without reading the file again. Local headers are read in order, each entry's data is
 * inflated and digested as it streams by, and the central directory, when it comes at the end, must describe exactly
 * those entries: same names, methods, sizes and CRCs, at the offsets where they were found, none left out, none
 * twice. The go command trusts the directory alone; a zip whose directory and local headers disagree, with bytes no
 * entry owns, or with entries sharing bytes would show different files to different readers, and is refused.
 *
 * <p>Only a stored entry with a data descriptor cannot be read this way (nothing in the stream says where its data
 * ends). Go's {@code archive/zip} writes such entries when asked to store files, so they are not refused: {@link
 * #finish} then answers empty, and the complete file must be checked with {@link ZipCheck}.
 *
 * <p>Memory: a few hundred bytes per entry and a 64 KiB buffer; the zip itself is never held. Not thread-safe; feed
 * it from one thread at a time.
 */
public final class ZipStreamCheck {

    private static final int LOCAL_SIG = 0x04034b50;
    private static final int CENTRAL_SIG = 0x02014b50;
    private static final int DESCRIPTOR_SIG = 0x08074b50;
    private static final int ZIP64_END_SIG = 0x06064b50;
    private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
    private static final int END_SIG = 0x06054b50;
    private static final long U16_MAX = 0xFFFF;
    private static final long U32_MAX = 0xFFFFFFFFL;
    private static final long MAX_ZIP64_EXTENSIBLE = 1 << 16;

    /** What the bytes at the current position are. */
    private enum State {
        SIGNATURE, LOCAL, LOCAL_NAME, DATA, DESCRIPTOR_START, DESCRIPTOR, CENTRAL, CENTRAL_NAME, ZIP64_END,
        ZIP64_LOCATOR, END, SKIP, DONE, WHOLE_FILE
    }

    /** Which part of the archive has been reached. */
    private enum Part { LOCALS, DIRECTORY, ZIP64_END, ZIP64_LOCATOR, END }

    /** One entry as its local header declared it, and what its data turned out to be. */
    private static final class Local {
        final ZipRecord header;
        final String name;
        final boolean zip64;
        long end;
        long crc;
        long compressed;
        long content;
        byte[] sha256;
        boolean descriptorSigned;
        long descriptorCrc;

        Local(ZipRecord header, String name, boolean zip64) {
            this.header = header;
            this.name = name;
            this.zip64 = zip64;
        }
    }

    private final String module;
    private final ZipLimits limits;
    private final ModuleZipRules rules;
    private final List<Local> locals = new ArrayList<>();
    private final BitSet listed = new BitSet();
    private final Inflater inflater = new Inflater(true);
    private final byte[] out = new byte[64 << 10];
    private ByteBuffer header = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
    private State state = State.SIGNATURE;
    private Part part = Part.LOCALS;
    private int need = 4;
    private long received;
    private long offset;
    private long recordStart;
    private Local current;
    private EntryData data;
    private long skip;
    private long directoryStart = -1;
    private long directoryEnd = -1;
    private long directoryEntries;
    private long zip64Start = -1;
    private long zip64Entries;
    private long zip64Size;
    private long zip64Offset;
    private BadZipException failure;

    /**
     * A check of the archive of {@code modulePath@version}.
     *
     * @throws IllegalArgumentException when the version is not canonical or does not belong to the module path
     */
    public ZipStreamCheck(String modulePath, String version, ZipLimits limits) {
        this.module = ZipCheck.module(modulePath, version);
        this.limits = limits;
        this.rules = new ModuleZipRules(module + "/", limits);
    }

    /**
     * The next bytes of the zip, from the buffer's position to its limit; the position is left as it was.
     *
     * @throws BadZipException naming the broken rule ({@code invalid zip for <module>@<version>: ...}), at the first
     *                         byte that breaks it; every later call throws it again
     */
    public void update(ByteBuffer bytes) throws BadZipException {
        if (failure != null) {
            throw failure;
        }
        try {
            received += bytes.remaining();
            if (received > limits.maxZipFile()) {
                throw new BadZipException("module zip file is too large (more than " + limits.maxZipFile()
                        + " bytes)");
            }
            if (state == State.WHOLE_FILE) {
                return;
            }
            ByteBuffer in = bytes.slice();
            while (in.hasRemaining() && state != State.WHOLE_FILE) {
                step(in);
            }
        } catch (BadZipException e) {
            throw failed(e);
        }
    }

    /**
     * After the last byte: the zip's h1 hash, or empty when the zip is well formed as far as it could be read but
     * has an entry that can only be checked with the whole file at hand ({@link ZipCheck}).
     *
     * @throws BadZipException naming the broken rule, also when the zip ended early
     */
    public Optional<String> finish() throws BadZipException {
        if (failure != null) {
            throw failure;
        }
        inflater.end();
        if (state == State.WHOLE_FILE) {
            return Optional.empty();
        }
        if (state != State.DONE) {
            throw failed(new BadZipException("not a zip file: it ends before its end of central directory record"));
        }
        List<FileDigest> digests = new ArrayList<>(locals.size());
        byte[] empty = DirHash.sha256().digest();
        for (Local l : locals) {
            digests.add(new FileDigest(l.header.name(), l.header.isDirectory() ? empty : l.sha256));
        }
        return Optional.of(DirHash.hash1(digests));
    }

    private BadZipException failed(BadZipException e) {
        inflater.end();
        failure = new BadZipException("invalid zip for " + module + ": " + e.getMessage());
        return failure;
    }

    private void step(ByteBuffer in) throws BadZipException {
        switch (state) {
            case DATA -> {
                long before = in.position();
                boolean ended = data.read(in);
                offset += in.position() - before;
                if (ended) {
                    dataEnded();
                }
            }
            case SKIP -> {
                int n = (int) Math.min(skip, in.remaining());
                in.position(in.position() + n);
                offset += n;
                skip -= n;
                if (skip == 0) {
                    skipped();
                }
            }
            case DONE -> throw new BadZipException(
                    "not a zip file: bytes follow its end of central directory record");
            default -> {
                int n = Math.min(need - header.position(), in.remaining());
                header.put(header.position(), in, in.position(), n);
                header.position(header.position() + n);
                in.position(in.position() + n);
                offset += n;
                if (header.position() == need) {
                    record();
                }
            }
        }
    }

    /** Reads {@code length} header bytes from the current position next. */
    private void start(State next, int length) {
        header.clear();
        expect(next, length);
    }

    /** Reads the same record on, up to {@code length} bytes in all. */
    private void expect(State next, int length) {
        if (header.capacity() < length) {
            ByteBuffer larger = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            larger.put(header.flip());
            header = larger;
        }
        state = next;
        need = length;
    }

    private void record() throws BadZipException {
        ByteBuffer h = header;
        switch (state) {
            case SIGNATURE -> signature(h.getInt(0));
            case LOCAL -> expect(State.LOCAL_NAME, 30 + u16(h, 26) + u16(h, 28));
            case LOCAL_NAME -> localHeader();
            case DESCRIPTOR_START -> {
                current.descriptorSigned = h.getInt(0) == DESCRIPTOR_SIG;
                expect(State.DESCRIPTOR, (current.descriptorSigned ? 8 : 4) + (current.zip64 ? 16 : 8));
            }
            case DESCRIPTOR -> descriptor();
            case CENTRAL -> expect(State.CENTRAL_NAME, 46 + u16(h, 28) + u16(h, 30) + u16(h, 32));
            case CENTRAL_NAME -> directoryEntry();
            case ZIP64_END -> zip64End();
            case ZIP64_LOCATOR -> zip64Locator();
            case END -> end();
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void signature(int sig) throws BadZipException {
        recordStart = offset - 4;
        if (sig == LOCAL_SIG && part == Part.LOCALS) {
            expect(State.LOCAL, 30);
        } else if (sig == CENTRAL_SIG && (part == Part.LOCALS || part == Part.DIRECTORY)) {
            if (part == Part.LOCALS) {
                directoryStart = recordStart;
                part = Part.DIRECTORY;
            }
            expect(State.CENTRAL, 46);
        } else if (sig == ZIP64_END_SIG && (part == Part.LOCALS || part == Part.DIRECTORY)) {
            directoryEnds();
            zip64Start = recordStart;
            part = Part.ZIP64_END;
            expect(State.ZIP64_END, 56);
        } else if (sig == ZIP64_LOCATOR_SIG && part == Part.ZIP64_END) {
            part = Part.ZIP64_LOCATOR;
            expect(State.ZIP64_LOCATOR, 20);
        } else if (sig == END_SIG && part != Part.ZIP64_END && part != Part.END) {
            if (part != Part.ZIP64_LOCATOR) {
                directoryEnds();
            }
            part = Part.END;
            expect(State.END, 22);
        } else if (recordStart == 0) {
            throw new BadZipException("not a zip file: it does not start with a local file header");
        } else {
            throw new BadZipException("the bytes at offset " + recordStart + " belong to no entry and are no "
                    + (part == Part.LOCALS ? "local file header or central directory" : "part of the central directory"
                    + " or its end records that may come there"));
        }
    }

    private void directoryEnds() {
        if (directoryStart < 0) {
            directoryStart = recordStart;
        }
        directoryEnd = recordStart;
    }

    private void localHeader() throws BadZipException {
        ByteBuffer h = header;
        int nameLen = u16(h, 26);
        byte[] rawName = new byte[nameLen];
        h.get(30, rawName);
        String name = CentralDirectory.decodeName(rawName, locals.size());
        if (locals.size() >= limits.maxEntries()) {
            throw new BadZipException("too many entries (limit is " + limits.maxEntries() + ")");
        }
        int flags = u16(h, 6);
        int method = u16(h, 8);
        long crc = u32(h, 14);
        long csize = u32(h, 18);
        long usize = u32(h, 22);
        long[] zip64 = LocalHeaders.zip64Sizes(h.slice(30 + nameLen, u16(h, 28)));
        boolean descriptor = (flags & 0x8) != 0;
        if ((flags & 0x41) != 0) {
            throw new BadZipException("entry " + quote(name) + ": encrypted entries are not supported");
        }
        if (method != ZipRecord.STORED && method != ZipRecord.DEFLATED) {
            throw new BadZipException("entry " + quote(name) + ": unsupported compression method " + method
                    + " (only store and deflate are allowed)");
        }
        if (!descriptor && (csize == U32_MAX || usize == U32_MAX)) {
            if (zip64 == null) {
                throw new BadZipException("entry " + quote(name) + ": local header lacks its ZIP64 sizes");
            }
            usize = zip64[0];
            csize = zip64[1];
        }
        ZipRecord local = new ZipRecord(locals.size(), name, flags, method, crc, csize, usize, recordStart, 0, 0);
        if (descriptor && method == ZipRecord.STORED) {
            state = State.WHOLE_FILE;
            return;
        }
        if (!descriptor && method == ZipRecord.STORED && csize != usize) {
            throw new BadZipException("entry " + quote(name) + ": stored entry with compressed size " + csize
                    + " and uncompressed size " + usize);
        }
        String below = rules.checkName(local);
        long limit;
        Supplier<BadZipException> tooLarge;
        if (descriptor) {
            limit = rules.sizeLimit(local, below);
            tooLarge = () -> overLimit(local, below, limit);
        } else {
            rules.checkSize(local, below, usize);
            limit = usize;
            tooLarge = () -> new BadZipException("uncompressed size of file " + quote(name)
                    + " is larger than declared size (" + limit + " bytes)");
        }
        current = new Local(local, below, zip64 != null);
        locals.add(current);
        inflater.reset();
        data = new EntryData(name, method, descriptor ? -1 : csize, limit, tooLarge, inflater, out);
        state = State.DATA;
        if (data.empty()) {
            dataEnded();
        }
    }

    /** The error of the limit an entry of unknown size broke by growing one byte past {@code limit}. */
    private BadZipException overLimit(ZipRecord local, String below, long limit) {
        try {
            rules.checkSize(local, below, limit + 1);
        } catch (BadZipException e) {
            return e;
        }
        return new BadZipException(quote(local.name()) + ": larger than the module's size limit (" + limit
                + " bytes)");
    }

    private void dataEnded() throws BadZipException {
        Local l = current;
        l.crc = data.crc();
        l.compressed = data.compressed();
        l.content = data.content();
        l.sha256 = data.sha256();
        l.end = offset;
        data = null;
        ZipRecord h = l.header;
        if (h.hasDataDescriptor()) {
            start(State.DESCRIPTOR_START, 4);
            return;
        }
        if (l.content < h.uncompressedSize()) {
            throw new BadZipException("uncompressed size of file " + quote(h.name())
                    + " is smaller than declared size (" + h.uncompressedSize() + " bytes)");
        }
        // Without a data descriptor a zero CRC means "not recorded" to the go command.
        if (h.crc() != 0 && l.crc != h.crc()) {
            throw new BadZipException("file " + quote(h.name()) + " fails its CRC-32 check");
        }
        start(State.SIGNATURE, 4);
    }

    private void descriptor() throws BadZipException {
        Local l = current;
        ByteBuffer h = header;
        int at = l.descriptorSigned ? 4 : 0;
        l.descriptorCrc = u32(h, at);
        long csize = l.zip64 ? u64(h, at + 4) : u32(h, at + 4);
        long usize = l.zip64 ? u64(h, at + 12) : u32(h, at + 8);
        String name = quote(l.header.name());
        if (usize != l.content) {
            throw new BadZipException("uncompressed size of file " + name + " is "
                    + (l.content > usize ? "larger" : "smaller") + " than declared size (" + usize + " bytes)");
        }
        if (csize != l.compressed) {
            throw new BadZipException("entry " + name + ": data descriptor gives " + csize
                    + " bytes of compressed data, not the " + l.compressed + " there are");
        }
        rules.checkSize(l.header, l.name, l.content);
        l.end = offset;
        start(State.SIGNATURE, 4);
    }

    private void directoryEntry() throws BadZipException {
        ByteBuffer h = header;
        int nameLen = u16(h, 28);
        int extraLen = u16(h, 30);
        if (directoryEntries >= limits.maxEntries()) {
            throw new BadZipException("too many entries (limit is " + limits.maxEntries() + ")");
        }
        byte[] rawName = new byte[nameLen];
        h.get(46, rawName);
        byte[] extra = new byte[extraLen];
        h.get(46 + nameLen, extra);
        ZipRecord e = CentralDirectory.entry((int) directoryEntries, h, rawName, extra);
        directoryEntries++;
        DirectoryMatch.verify(e, localAt(e));
        start(State.SIGNATURE, 4);
    }

    /** The local entry whose header is where the directory entry says, listed for the first time. */
    private DirectoryMatch.Found localAt(ZipRecord e) throws BadZipException {
        int i = e.index() < locals.size() && locals.get(e.index()).header.headerOffset() == e.headerOffset()
                ? e.index() : search(e.headerOffset());
        if (i < 0) {
            int before = -i - 2;
            if (before >= 0 && e.headerOffset() < locals.get(before).end) {
                throw new BadZipException("entries " + quote(locals.get(before).header.name()) + " and "
                        + quote(e.name()) + " overlap");
            }
            throw new BadZipException("entry " + quote(e.name()) + ": no local header where the directory says");
        }
        Local l = locals.get(i);
        if (listed.get(i)) {
            throw new BadZipException("entries " + quote(l.header.name()) + " and " + quote(e.name()) + " overlap");
        }
        listed.set(i);
        return new DirectoryMatch.Found(l.header, l.crc, l.compressed, l.content, l.descriptorCrc);
    }

    /** Binary search of the local entries by header offset, as {@link java.util.Arrays#binarySearch} answers. */
    private int search(long headerOffset) {
        int low = 0;
        int high = locals.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long at = locals.get(mid).header.headerOffset();
            if (at < headerOffset) {
                low = mid + 1;
            } else if (at > headerOffset) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }

    private void zip64End() throws BadZipException {
        ByteBuffer h = header;
        long size = u64(h, 4);
        if (size < 44 || size - 44 > MAX_ZIP64_EXTENSIBLE || u32(h, 16) != 0 || u32(h, 20) != 0
                || u64(h, 24) != u64(h, 32)) {
            throw new BadZipException("invalid ZIP64 end of central directory record");
        }
        zip64Entries = u64(h, 32);
        zip64Size = u64(h, 40);
        zip64Offset = u64(h, 48);
        skip = size - 44;
        if (skip > 0) {
            state = State.SKIP;
        } else {
            start(State.SIGNATURE, 4);
        }
    }

    private void zip64Locator() throws BadZipException {
        ByteBuffer h = header;
        if (u32(h, 4) != 0 || u64(h, 8) != zip64Start || u32(h, 16) > 1) {
            throw new BadZipException("ZIP64 end of central directory locator does not point at its record");
        }
        start(State.SIGNATURE, 4);
    }

    private void end() throws BadZipException {
        ByteBuffer h = header;
        if (u16(h, 4) != 0 || u16(h, 6) != 0 || u16(h, 8) != u16(h, 10)) {
            throw new BadZipException("multi-disk zip files are not supported");
        }
        long count = u16(h, 10);
        long size = u32(h, 12);
        long start = u32(h, 16);
        boolean zip64 = zip64Start >= 0;
        if (!zip64 && (count == U16_MAX || size == U32_MAX || start == U32_MAX)) {
            throw new BadZipException("ZIP64 end of central directory locator missing");
        }
        long listedSize = directoryEnd - directoryStart;
        if (zip64 && (zip64Entries != directoryEntries || zip64Size != listedSize || zip64Offset != directoryStart)
                || count != U16_MAX && count != directoryEntries || size != U32_MAX && size != listedSize
                || start != U32_MAX && start != directoryStart) {
            throw new BadZipException("the end of central directory record does not describe the directory before"
                    + " it (" + directoryEntries + " entries, " + listedSize + " bytes at offset " + directoryStart
                    + ")");
        }
        int unlisted = listed.nextClearBit(0);
        if (unlisted < locals.size()) {
            throw new BadZipException("entry " + quote(locals.get(unlisted).header.name())
                    + " is not in the central directory");
        }
        skip = u16(h, 20);
        if (skip > 0) {
            state = State.SKIP;
        } else {
            state = State.DONE;
        }
    }

    private void skipped() {
        if (part == Part.END) {
            state = State.DONE;
        } else {
            start(State.SIGNATURE, 4);
        }
    }
}
