package dev.vreg.testkit.upstream;

import io.vertx.core.buffer.Buffer;

/**
 * A deterministic, effectively endless byte sequence for large-body tests. Fixtures produce any slice of it on the
 * fly and readers check every received byte against it, so neither side ever holds a whole body. The bytes come
 * from a 64-bit mixing function of the offset, so a lost, repeated or reordered chunk is always detected.
 */
public final class GeneratedBody {

    private GeneratedBody() {
    }

    /** The byte at {@code offset}. */
    public static byte byteAt(long offset) {
        return (byte) (mix(offset >>> 3) >>> ((offset & 7) * 8));
    }

    /** Writes {@code length} bytes starting at {@code offset} into {@code target} from {@code targetIndex}. */
    public static void fill(long offset, byte[] target, int targetIndex, int length) {
        for (int i = 0; i < length; i++) {
            target[targetIndex + i] = byteAt(offset + i);
        }
    }

    /** A buffer holding {@code length} bytes starting at {@code offset}. */
    public static Buffer chunk(long offset, int length) {
        byte[] bytes = new byte[length];
        fill(offset, bytes, 0, length);
        return Buffer.buffer(bytes);
    }

    /**
     * Checks {@code received} against the sequence starting at {@code offset}.
     *
     * @return the absolute offset of the first wrong byte, or -1 when all match
     */
    public static long firstMismatch(long offset, Buffer received) {
        int length = received.length();
        for (int i = 0; i < length; i++) {
            if (received.getByte(i) != byteAt(offset + i)) {
                return offset + i;
            }
        }
        return -1;
    }

    // SplitMix64's finaliser: cheap, and every output bit depends on every input bit.
    private static long mix(long value) {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
