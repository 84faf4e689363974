package dev.vreg.go.zip;

import static dev.vreg.go.module.GoQuote.quote;

import dev.vreg.go.hash.DirHash;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The data of one zip entry as it streams by: stored bytes are taken as they are, deflated ones inflated, and the
 * content is counted, digested and CRC-checked on the way. Decompression stops one byte past the most the entry may
 * hold, so a zip bomb costs no more work than the limits allow.
 */
final class EntryData {

    private final String name;
    private final boolean deflated;
    private final boolean sizeKnown;
    private final long limit;
    private final Supplier<BadZipException> tooLarge;
    private final Inflater inflater;
    private final byte[] out;
    private final MessageDigest sha256 = DirHash.sha256();
    private final CRC32 crc = new CRC32();
    private long compressedLeft;
    private long compressed;
    private long content;

    /**
     * @param compressedSize the bytes of data, or -1 when a data descriptor gives it only after them (then the
     *                       deflate stream's own end tells where the data ends)
     * @param limit          the most content the entry may have; one byte more fails with {@code tooLarge}
     * @param inflater       a reset raw inflater, used for deflated entries
     * @param out            scratch space for inflated bytes
     */
    EntryData(String name, int method, long compressedSize, long limit, Supplier<BadZipException> tooLarge,
              Inflater inflater, byte[] out) {
        this.name = quote(name);
        this.deflated = method == ZipRecord.DEFLATED;
        this.sizeKnown = compressedSize >= 0;
        this.compressedLeft = compressedSize;
        this.limit = limit;
        this.tooLarge = tooLarge;
        this.inflater = inflater;
        this.out = out;
    }

    /** Whether the data has ended before any of it arrived (a stored entry of no bytes). */
    boolean empty() {
        return !deflated && compressedLeft == 0;
    }

    /** Consumes what belongs to this entry from {@code in}; true once its data has ended. */
    boolean read(ByteBuffer in) throws BadZipException {
        return deflated ? inflate(in) : store(in);
    }

    private boolean store(ByteBuffer in) throws BadZipException {
        int n = (int) Math.min(compressedLeft, in.remaining());
        ByteBuffer part = in.slice(in.position(), n);
        in.position(in.position() + n);
        compressed += n;
        compressedLeft -= n;
        content(part, n);
        return compressedLeft == 0;
    }

    private boolean inflate(ByteBuffer in) throws BadZipException {
        int take = sizeKnown ? (int) Math.min(compressedLeft, in.remaining()) : in.remaining();
        ByteBuffer part = in.slice(in.position(), take);
        inflater.setInput(part);
        int n;
        do {
            try {
                n = inflater.inflate(out);
            } catch (DataFormatException e) {
                throw new BadZipException("file " + name + " cannot be decompressed: " + e.getMessage());
            }
            if (n > 0) {
                content(ByteBuffer.wrap(out, 0, n), n);
            }
        } while (n > 0 && !inflater.finished());
        if (inflater.needsDictionary()) {
            throw new BadZipException("file " + name + " cannot be decompressed: it needs a preset dictionary");
        }
        int used = part.position();
        in.position(in.position() + used);
        compressed += used;
        if (sizeKnown) {
            compressedLeft -= used;
        }
        if (inflater.finished()) {
            if (sizeKnown && compressedLeft != 0) {
                throw new BadZipException("file " + name + ": its compressed data ends before its compressed size");
            }
            return true;
        }
        if (sizeKnown && compressedLeft == 0) {
            throw new BadZipException("file " + name + " is truncated");
        }
        if (part.hasRemaining()) {
            throw new BadZipException("file " + name + " cannot be decompressed: the inflater stopped early");
        }
        return false;
    }

    private void content(ByteBuffer bytes, int n) throws BadZipException {
        content += n;
        if (content > limit) {
            throw tooLarge.get();
        }
        crc.update(bytes.duplicate());
        sha256.update(bytes);
    }

    long compressed() {
        return compressed;
    }

    long content() {
        return content;
    }

    long crc() {
        return crc.getValue();
    }

    byte[] sha256() {
        return sha256.digest();
    }
}
