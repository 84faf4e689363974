package dev.vreg.go.module;

/** Go's {@code utf8.DecodeRune}: a sequence that is not valid UTF-8 decodes as U+FFFD of one byte. */
final class Utf8 {

    static final int RUNE_ERROR = 0xFFFD;
    static final byte[] RUNE_ERROR_BYTES = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

    private Utf8() {
    }

    /** The rune at {@code i} and its size in bytes, packed; read them with {@link #rune} and {@link #size}. */
    static long decode(byte[] b, int i) {
        int b0 = b[i] & 0xff;
        if (b0 < 0x80) {
            return pack(b0, 1);
        }
        int size;
        int lo = 0x80;
        int hi = 0xBF;
        int rune;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            size = 2;
            rune = b0 & 0x1F;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            size = 3;
            rune = b0 & 0x0F;
            if (b0 == 0xE0) {
                lo = 0xA0;
            } else if (b0 == 0xED) {
                hi = 0x9F;
            }
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            size = 4;
            rune = b0 & 0x07;
            if (b0 == 0xF0) {
                lo = 0x90;
            } else if (b0 == 0xF4) {
                hi = 0x8F;
            }
        } else {
            return pack(RUNE_ERROR, 1);
        }
        if (i + size > b.length) {
            return pack(RUNE_ERROR, 1);
        }
        for (int k = 1; k < size; k++) {
            int c = b[i + k] & 0xff;
            if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xBF)) {
                return pack(RUNE_ERROR, 1);
            }
            rune = rune << 6 | (c & 0x3F);
        }
        return pack(rune, size);
    }

    static int rune(long decoded) {
        return (int) (decoded >>> 32);
    }

    static int size(long decoded) {
        return (int) decoded;
    }

    private static long pack(int rune, int size) {
        return (long) rune << 32 | size;
    }
}
