package dev.vreg.go.zip;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/** Little-endian positional reads from a zip file. */
final class Bytes {

    private Bytes() {
    }

    /** Exactly {@code length} bytes at {@code position}, little-endian, positioned at 0. */
    static ByteBuffer read(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                throw new EOFException();
            }
        }
        return buf.flip();
    }

    static int u16(ByteBuffer b, int at) {
        return Short.toUnsignedInt(b.getShort(at));
    }

    static long u32(ByteBuffer b, int at) {
        return Integer.toUnsignedLong(b.getInt(at));
    }

    /** An unsigned 64-bit value; values beyond {@code Long.MAX_VALUE} come back negative and fail every bound. */
    static long u64(ByteBuffer b, int at) {
        return b.getLong(at);
    }
}
