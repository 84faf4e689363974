package dev.vreg.testkit.go;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Deterministic pseudo-random bytes from a SplitMix64 sequence. SplitMix64 is chosen over {@link java.util.Random}
 * because its output is defined by a few lines here, so the bytes never change with the JDK.
 */
final class PseudoRandomContent implements FileContent {

    private static final int BLOCK = 64 * 1024;

    private final long seed;
    private final long size;

    PseudoRandomContent(long seed, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        this.seed = seed;
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        byte[] block = new byte[BLOCK];
        long state = seed;
        long left = size;
        while (left > 0) {
            int n = (int) Math.min(BLOCK, left);
            for (int i = 0; i < n; i += 8) {
                state += 0x9E3779B97F4A7C15L;
                long z = state;
                z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
                z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
                z ^= z >>> 31;
                for (int b = 0; b < 8 && i + b < n; b++) {
                    block[i + b] = (byte) (z >>> (8 * b));
                }
            }
            out.write(block, 0, n);
            left -= n;
        }
    }
}
